import { readAlertmanager, readGeneric, readGrafana, type AlertNotification } from './alertPayloads';
import { receiveAlerts, type AlertDeps } from './alerts';
import { signalRoute, signatureProblem, type RateLimit, type SignalRequest, type SignalRoute } from './http';

/** Grafana signs `timestamp:body` when its webhook's HMAC is set with a timestamp header; older is refused. */
export const GRAFANA_SIGNATURE = {
  signatureHeader: 'X-Grafana-Alerting-Signature',
  timestampHeader: 'X-Grafana-Alerting-Timestamp',
  maxAgeMs: 5 * 60_000,
} as const;

export interface AlertRouteOptions {
  token: string | undefined;
  hmacSecret: string | undefined;
  rate: RateLimit;
  clock: () => Date;
  onError: (err: unknown) => void;
  /** Told after a notification changed something, so its Slack work starts now rather than at the next tick. */
  onStored: () => void;
}

/** POST /alerts/alertmanager, /alerts/grafana and /alerts: each notification stored before the answer. */
export function alertRoutes(deps: AlertDeps, options: AlertRouteOptions): SignalRoute[] {
  const route = (path: string, read: (body: unknown, now: Date) => AlertNotification, verify?: (req: SignalRequest, now: number) => string | null) =>
    signalRoute({
      path,
      token: options.token,
      rate: options.rate,
      clock: () => options.clock().getTime(),
      onError: options.onError,
      verify,
      async handle({ body }) {
        const now = options.clock();
        const received = await receiveAlerts(deps, read(body, now), now);
        if (received.changed || received.incidentId) options.onStored();
        return {
          status: 200,
          body: { ok: true, group_id: received.groupId, changed: received.changed, ...(received.incidentId ? { incident_id: received.incidentId } : {}) },
        };
      },
    });
  const secret = options.hmacSecret;
  return [
    route('/alerts/alertmanager', readAlertmanager),
    route('/alerts/grafana', readGrafana, secret ? (req, now) => signatureProblem({ secret, ...GRAFANA_SIGNATURE }, req.headers, req.rawBody, now) : undefined),
    route('/alerts', readGeneric),
  ];
}
