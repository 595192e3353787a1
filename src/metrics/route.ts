import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerMatches } from '../bearer';
import type { HeraldMetrics } from './metrics';

/**
 * `GET /metrics` in Prometheus' text format, on PORT in HTTP and Socket Mode alike (the same route
 * shape as /healthz). With METRICS_TOKEN set, a scrape must send it as a bearer token.
 */
export function metricsRoute(metrics: HeraldMetrics, token: string | undefined) {
  return {
    path: '/metrics',
    method: ['GET'],
    async handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
        res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' });
        res.end('expected Authorization: Bearer <METRICS_TOKEN>\n');
        return;
      }
      let body: string;
      try {
        body = await metrics.scrape();
      } catch {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('metrics could not be rendered\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': metrics.contentType });
      res.end(body);
    },
  };
}
