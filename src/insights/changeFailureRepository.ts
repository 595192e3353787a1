import { sql } from 'kysely';
import type { Database } from '../db/client';
import type { FigureScope, MeasuredPeriod } from './figuresRepository';

/** Change failure rate of one service in a period. */
export interface ServiceChangeFailure {
  serviceId: number;
  name: string;
  deployments: number;
  failed: number;
}

/** DORA's change failure rate for a period, overall and per service (most failed first). */
export interface ChangeFailureFigures {
  deployments: number;
  failed: number;
  byService: ServiceChangeFailure[];
}

/**
 * DORA's change failure rate, per period: production deployments made in it (by `deployed_at`), and
 * how many of those led to an incident — picked as a cause in that incident's submitted review that
 * says a change caused it. Private incidents and drills are left out here as in every figure: a
 * deployment that only a private incident or a drill blames does not count as failed.
 */
export async function changeFailureFigures(db: Database, scope: FigureScope, periods: MeasuredPeriod[]): Promise<ChangeFailureFigures[]> {
  return Promise.all(
    periods.map(async (p) => {
      const serviceOnly = scope.serviceId === undefined ? sql`true` : sql`d.service_id = ${scope.serviceId}`;
      const { rows } = await sql<{ service_id: number; name: string; deployments: string | number; failed: string | number }>`
        select d.service_id, sv.name, count(*) as deployments,
               count(*) filter (where exists (
                 select 1 from incident_deployments l
                 join incidents i on i.id = l.incident_id
                 join reviews r on r.incident_id = i.id
                 where l.deployment_id = d.id and l.caused and not i.is_private and not i.is_drill
                   and r.status = 'submitted' and r.change_caused = 'yes')) as failed
        from deployments d
        join services sv on sv.id = d.service_id
        where d.team_id = ${scope.teamId} and d.environment = 'production'
          and d.deployed_at >= ${p.start} and d.deployed_at < ${p.end} and ${serviceOnly}
        group by d.service_id, sv.name`.execute(db);
      const byService = rows
        .map((r) => ({ serviceId: Number(r.service_id), name: r.name, deployments: Number(r.deployments), failed: Number(r.failed) }))
        .sort((a, b) => b.failed - a.failed || b.failed / b.deployments - a.failed / a.deployments || a.name.localeCompare(b.name));
      return {
        deployments: byService.reduce((n, s) => n + s.deployments, 0),
        failed: byService.reduce((n, s) => n + s.failed, 0),
        byService,
      };
    }),
  );
}
