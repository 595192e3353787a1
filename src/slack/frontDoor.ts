import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomRoute } from '@slack/bolt';

/**
 * Herald's one HTTP server on PORT, bound before anything else so that a taken port is refused at
 * once and /healthz answers while Herald waits for its database or Slack. What it serves changes as
 * Herald starts: the start-up answers first, then Slack's requests (HTTP mode) or the health routes
 * alone (Socket Mode), beside the alert endpoints.
 */
export interface FrontDoor {
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
  /** From now on, requests go to `listener`. */
  serve(listener: RequestListener): void;
  /** Stops taking connections; requests in flight finish. */
  close(): Promise<void>;
}

/** Binds PORT (on HOST when set: the sandbox keeps to 127.0.0.1); a taken port is refused at once. */
export async function openFrontDoor(port: number, first: RequestListener, host?: string): Promise<FrontDoor> {
  let listener = first;
  const server = http.createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    serve: (next) => (listener = next),
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      })),
  };
}

/** Serves `routes` alone (Socket Mode, where Slack's requests come over the WebSocket). */
export function routeListener(routes: CustomRoute[]): RequestListener {
  return (req, res) => {
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
  };
}
