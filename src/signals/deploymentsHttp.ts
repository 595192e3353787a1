import type { Database } from '../db/client';
import { deploymentSchema, recordDeployment } from './deployments';
import { parsePayload, signalRoute, type RateLimit, type SignalRoute } from './http';

export interface DeploymentRouteDeps {
  db: Database;
  /** The workspace deployments belong to (single-workspace install). */
  teamId: string;
  token: string | undefined;
  rate: RateLimit;
  clock: () => Date;
  /** CHANGE_WINDOW: how long before a declaration a deployment is linked to the incident. */
  changeWindowMs: number;
  onError?: (err: unknown) => void;
}

/**
 * `POST /deployments`: 201 when the deployment is recorded, 200 when it already was (a CI retry changes
 * nothing). Answered only once it is committed, so a pipeline that gets a 5xx may simply retry.
 */
export function deploymentsRoute(deps: DeploymentRouteDeps): SignalRoute {
  return signalRoute({
    path: '/deployments',
    token: deps.token,
    rate: deps.rate,
    onError: deps.onError,
    async handle({ body }) {
      const input = parsePayload(deploymentSchema, body);
      const recorded = await recordDeployment(deps.db, deps.teamId, input, deps.clock(), deps.changeWindowMs);
      return {
        status: recorded.created ? 201 : 200,
        body: { ok: true, id: recorded.id, service: recorded.service, created: recorded.created, service_created: recorded.serviceCreated },
      };
    },
  });
}
