import type { Database } from '../db/client';

/** Service names for the reports; the figures themselves are aggregated in figuresRepository.ts. */

/** The names of the workspace's services, for the impact ranking. */
export async function serviceNames(db: Database, teamId: string, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('services').select(['id', 'name']).where('team_id', '=', teamId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The service a person typed, matched like everywhere else in Herald (case and spaces ignored). */
