import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomRoute } from '@slack/bolt';

export interface HealthServer {
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
  close(): Promise<void>;
}

/**
 * In Socket Mode Slack reaches Herald over its WebSocket, so PORT serves only the health routes
 * (a load balancer or an orchestrator still needs /healthz and /readyz).
 */
export async function startHealthServer(routes: CustomRoute[], port: number, host?: string): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://herald').pathname;
    const route = routes.find((r) => r.path === path);
    const methods = route ? [route.method].flat() : [];
    if (!route || !methods.includes(req.method ?? '')) {
      res.writeHead(route ? 405 : 404, { 'Content-Type': 'text/plain' });
      res.end(route ? 'Method Not Allowed' : 'Not Found');
      return;
    }
    Promise.resolve(route.handler(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
