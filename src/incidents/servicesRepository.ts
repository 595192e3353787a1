import type { Database } from '../db/client';
import { preparedAs } from '../db/preparedStatements';
import type { ServiceRef } from '../incidents/model';

/** Services are matched case-insensitively: "Payments API" and "payments api" are one service. */
export function serviceNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The service of that name, matched as services are (case and spacing aside), if any. */
export async function findServiceByName(db: Database, teamId: string, name: string): Promise<ServiceRef | null> {
  const row = await db
    .selectFrom('services')
    .select(['id', 'name'])
    .where('team_id', '=', teamId)
    .where('name_key', '=', serviceNameKey(name))
    // Every deployment a pipeline posts starts here.
    .modifyEnd(preparedAs('service_by_name'))
    .executeTakeFirst();
  return row ?? null;
}

export async function listServices(db: Database, teamId: string, limit: number): Promise<ServiceRef[]> {
  return db
    .selectFrom('services')
    .select(['id', 'name'])
    .where('team_id', '=', teamId)
    .orderBy('name_key')
    .limit(limit)
    .execute();
}

export async function findServicesByIds(db: Database, teamId: string, ids: number[]): Promise<ServiceRef[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('services').select(['id', 'name']).where('team_id', '=', teamId).where('id', 'in', ids).execute();
}

/** Creates the service if it is new; returns it either way, `created` when this call made it. */
export async function ensureService(db: Database, teamId: string, name: string): Promise<ServiceRef & { created: boolean }> {
  const clean = name.trim().replace(/\s+/g, ' ');
  // Most calls name a service that exists: one look-up, and an insert only when it is new.
  const known = await findServiceByName(db, teamId, clean);
  if (known) return { ...known, created: false };
  const inserted = await db
    .insertInto('services')
    .values({ team_id: teamId, name: clean, name_key: serviceNameKey(clean) })
    .onConflict((oc) => oc.columns(['team_id', 'name_key']).doNothing())
    .returning(['id', 'name'])
    .executeTakeFirst();
  if (inserted) return { ...inserted, created: true };
  // Created meanwhile by a concurrent call.
  const row = await findServiceByName(db, teamId, clean);
  if (!row) throw new Error(`service "${clean}" was neither found nor created`);
  return { ...row, created: false };
}
