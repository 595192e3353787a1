import { type App, type CustomRoute, type Logger as BoltLogger, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { startHealthServer, type HealthServer } from './healthServer';
import { toExternalCallError } from './slackErrors';

/**
 * WebSocket connections Herald keeps open. Slack refreshes each connection from time to time and the
 * Socket Mode client takes about 5 seconds to reconnect; with two, Slack sends requests to the other
 * one meanwhile, so a command typed during a refresh is not lost.
 */
export const SOCKET_CONNECTIONS = 2;
/** How long stopping waits for Slack to finish closing the connections. */
const CLOSE_WAIT_MS = 2000;

/**
 * The Socket Mode client reconnects by calling its own start() and leaves that promise unobserved
 * (slackapi/node-slack-sdk#2656). Stopping while a reconnect still waits for Slack's hello rejects it
 * (with nothing), and Node ends the process on an unhandled rejection: a SIGTERM during one of Slack's
 * routine refreshes would crash Herald instead of stopping it. While stopping, that rejection is
 * expected and dropped; any other still surfaces as before.
 */
function expectStopDuringReconnect(receiver: SocketModeReceiver, stopping: () => boolean): void {
  const socket = receiver.client;
  const start = socket.start.bind(socket);
  socket.start = async () => {
    try {
      return await start();
    } catch (err) {
      if (stopping()) return { ok: false, error: 'stopped' };
      throw err;
    }
  };
}

export function createSocketModeReceivers(appToken: string, clientOptions: WebClientOptions, logger: BoltLogger): SocketModeReceiver[] {
  // apps.connections.open goes to SLACK_API_URL too, with the Socket Mode client's own generous
  // retries (and waits on 429s), so a blip while reconnecting does not leave Herald offline.
  return Array.from({ length: SOCKET_CONNECTIONS }, () => new SocketModeReceiver({ appToken, logger, installerOptions: { clientOptions } }));
}

/**
 * Starting and stopping in Socket Mode: the app's own receiver plus the spare connections, all
 * handing requests to the same app; PORT serves only the health routes.
 */
export function socketModeLifecycle(app: App, receivers: SocketModeReceiver[], healthRoutes: CustomRoute[], port: number, host?: string) {
  const [, ...spares] = receivers;
  for (const spare of spares) spare.init(app);
  let stopping = false;
  for (const receiver of receivers) expectStopDuringReconnect(receiver, () => stopping);
  let health: HealthServer | undefined;
  const disconnect = async () => {
    stopping = true;
    // The client's disconnect() waits for the close handshake (Bolt's stop() does not), but Slack may
    // keep the TCP connection open after it, so the wait is bounded.
    const bounded = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref());
    await Promise.race([Promise.all(receivers.map((r) => r.client.disconnect())), bounded]);
  };
  return {
    async start(): Promise<number> {
      health = await startHealthServer(healthRoutes, port, host);
      // Wait for every connection to settle, so none is left retrying in the background after a refusal.
      const started = await Promise.allSettled([app.start(), ...spares.map((s) => s.start())]);
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        await disconnect();
        await health.close();
        const refused = toExternalCallError(failed.reason);
        if (refused.retryable) throw failed.reason;
        throw new Error(`SLACK_APP_TOKEN was refused by Slack (${refused.code}); use the app-level token (xapp-…) with connections:write from the app's "Basic Information" page`);
      }
      return health.port;
    },
    async stop(): Promise<void> {
      await disconnect();
      await health?.close();
    },
  };
}
