import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import { ensureService, serviceNameKey } from '../incidents/servicesRepository';
import { findServiceByKey, getStakeholders, lockService, replaceStakeholders, type StakeholderList } from './stakeholdersRepository';

export const SERVICE_NAME_MAX = 80;

export interface ServiceStakeholders extends StakeholderList {
  name: string;
  /** False for a service that does not exist yet: saving the form creates it. */
  exists: boolean;
  ownerId: string | null;
}

/** The name as Herald keeps it, or a reason it cannot be a service name. */
export function cleanServiceName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw new UserFacingError('Name the service: `/incident stakeholders <service>`, e.g. `/incident stakeholders Payments API`.');
  if (name.length > SERVICE_NAME_MAX) throw new UserFacingError(`Keep the service name to ${SERVICE_NAME_MAX} characters.`);
  return name;
}

export async function loadServiceStakeholders(db: Database, teamId: string, rawName: string): Promise<ServiceStakeholders> {
  const name = cleanServiceName(rawName);
  const service = await findServiceByKey(db, teamId, serviceNameKey(name));
  if (!service) return { name, exists: false, ownerId: null, channels: [], people: [] };
  return { name: service.name, exists: true, ownerId: service.ownerId, ...(await getStakeholders(db, service.id)) };
}

export interface SaveStakeholdersInput extends StakeholderList {
  teamId: string;
  name: string;
  actorId: string;
  ownerId: string | null;
}

export interface SaveStakeholdersDeps {
  db: Database;
  /** Whether a person's account is active; a deactivated owner must not lock a service's list forever. */
  isActiveUser(userId: string): Promise<boolean>;
}

/**
 * Saves a service's owner and stakeholder list, creating the service when it is new. Once a service
 * has an owner, only the owner changes it (anyone may while it has none, or once the owner is gone).
 */
export async function saveServiceStakeholders(deps: SaveStakeholdersDeps, input: SaveStakeholdersInput, now: Date): Promise<{ name: string; created: boolean }> {
  const name = cleanServiceName(input.name);
  const known = await findServiceByKey(deps.db, input.teamId, serviceNameKey(name));
  const guard = async (ownerId: string | null, serviceName: string) => {
    if (ownerId && ownerId !== input.actorId && (await deps.isActiveUser(ownerId))) {
      throw new UserFacingError(`Only <@${ownerId}>, the owner of ${serviceName}, can change its stakeholders.`);
    }
  };
  if (known) await guard(known.ownerId, known.name);
  return deps.db.transaction().execute(async (tx) => {
    const ref = await ensureService(tx, input.teamId, name);
    const service = (await lockService(tx, ref.id))!;
    // Someone else may have set an owner since the check above.
    if (service.ownerId !== (known?.ownerId ?? null)) await guard(service.ownerId, service.name);
    const unique = (ids: string[]) => [...new Set(ids)];
    await replaceStakeholders(tx, service.id, input.ownerId, { channels: unique(input.channels), people: unique(input.people) }, now);
    return { name: service.name, created: !known };
  });
}
