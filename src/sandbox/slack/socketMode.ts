/**
 * The Socket Mode side of the stand-in, as Slack runs it: `apps.connections.open` (app-level token
 * only) hands out a single-use WebSocket URL; on connecting, the app gets `hello`; every request then
 * arrives as an envelope the app must acknowledge with its `envelope_id` within 3 seconds, and the
 * acknowledgement's payload is checked as Slack checks an HTTP response body. Slack asks apps to
 * reconnect from time to time (`disconnect` / `refresh_requested`); `refresh()` does the same.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { validateMessageBlocks, validateView } from './blockKit';

/** Slack waits this long for an acknowledgement before it treats the request as failed. */
export const ACK_WINDOW_MS = 3000;
/** A URL from apps.connections.open must be used within this time, once. */
const TICKET_TTL_MS = 30_000;
/** Slack pings its Socket Mode connections; the client treats a long silence as a dead link. */
const PING_EVERY_MS = 5000;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAnswer {
  /** 200: acknowledged in time with an acceptable payload; 400: the payload was refused; 0: no acknowledgement. */
  status: number;
  /** The acknowledgement's payload (JSON), or what was wrong with it. */
  text: string;
  json: any;
  ms: number;
}

export interface DeliverOptions {
  /** Slack's retry of an earlier envelope (events). */
  retryAttempt?: number;
  retryReason?: string;
}

interface Pending {
  type: EnvelopeType;
  payload: any;
  sentAt: number;
  timer: NodeJS.Timeout;
  resolve: (answer: SocketAnswer) => void;
}

/** What Slack accepts back in the acknowledgement of an envelope of this type. */
function ackProblems(type: EnvelopeType, payload: any, request: any): string[] {
  if (payload === undefined) return [];
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return ['payload must be a JSON object'];
  // Slack ignores the payload of an event's acknowledgement; an empty one answers nothing.
  if (type === 'events_api' || Object.keys(payload).length === 0) return [];
  if (type === 'slash_commands') {
    const problems = payload.blocks === undefined ? [] : validateMessageBlocks(payload.blocks);
    if (payload.response_type !== undefined && !['in_channel', 'ephemeral'].includes(payload.response_type)) problems.push('invalid response_type');
    return problems;
  }
  if (request.type !== 'view_submission') return [];
  switch (payload.response_action) {
    case 'errors':
      return typeof payload.errors === 'object' && payload.errors !== null && Object.keys(payload.errors).length > 0 ? [] : ['response_action errors needs errors by block_id'];
    case 'update':
    case 'push':
      return validateView(payload.view, 'modal');
    case 'clear':
      return [];
    default:
      return [`unknown response_action ${String(payload.response_action)}`];
  }
}

export class SocketModeGateway {
  /** How many times apps.connections.open handed out a URL. */
  opened = 0;
  /** Envelopes that were not acknowledged within the window. */
  readonly unacknowledged: Array<{ type: EnvelopeType; payload: any }> = [];

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, number>();
  private readonly sockets = new Set<WebSocket>();
  /** Connections told to reconnect: Slack sends nothing more on them. */
  private readonly leaving = new WeakSet<WebSocket>();
  private turn = 0;
  /** Connections opened while hellos were withheld (a slow link): the app's client is still connecting. */
  private readonly awaitingHello = new WeakSet<WebSocket>();
  private withholdingHellos = false;
  private readonly pending = new Map<string, Pending>();
  private readonly waiters = new Set<() => void>();
  private readonly pinger: NodeJS.Timeout;
  private origin = '';
  private next = 0;

  constructor(private readonly appId: string) {
    this.pinger = setInterval(() => {
      for (const socket of this.sockets) socket.ping();
    }, PING_EVERY_MS);
    this.pinger.unref();
  }

  /** Serves the WebSocket URLs on the stand-in's HTTP server. */
  attach(server: http.Server, origin: string): void {
    this.origin = origin.replace(/^http/, 'ws');
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** apps.connections.open: a fresh URL with a single-use ticket. */
  openUrl(): string {
    const ticket = randomUUID();
    this.tickets.set(ticket, Date.now() + TICKET_TTL_MS);
    this.opened += 1;
    return `${this.origin}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Open WebSocket connections. */
  get connections(): number {
    return [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN).length;
  }

  /** Resolves once at least `count` connections are open. */
  async connected(count = 1, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections < count) {
      if (Date.now() > deadline) throw new Error(`No Socket Mode connection within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 50);
      });
    }
  }

  /** Sends a request to the app as an envelope on one open connection and waits for its acknowledgement. */
  deliver(type: EnvelopeType, payload: any, options: DeliverOptions = {}): Promise<SocketAnswer> {
    // Like Slack: one of the open connections that has not been told to go, taking turns.
    const usable = [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN && !this.leaving.has(s) && !this.awaitingHello.has(s));
    const socket = usable[this.turn++ % Math.max(1, usable.length)];
    if (!socket) return Promise.reject(new Error('The app has no open Socket Mode connection'));
    const envelopeId = `${Date.now().toString(16)}-${++this.next}-${randomUUID().slice(0, 8)}`;
    return new Promise<SocketAnswer>((resolve) => {
      const sentAt = performance.now();
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        this.unacknowledged.push({ type, payload });
        resolve({ status: 0, text: `no acknowledgement within ${ACK_WINDOW_MS} ms`, json: null, ms: performance.now() - sentAt });
      }, ACK_WINDOW_MS);
      this.pending.set(envelopeId, { type, payload, sentAt, timer, resolve });
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          ...(type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' } : {}),
        }),
      );
    });
  }

  /**
   * Slack's periodic "please reconnect" on `count` connections (all by default): a disconnect message,
   * no more requests on them, then the close.
   */
  refresh(count = Infinity): void {
    for (const socket of [...this.sockets].filter((s) => !this.leaving.has(s)).slice(0, count)) {
      this.leaving.add(socket);
      socket.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'applink-stub' } }));
      setTimeout(() => socket.close(1000, 'refresh_requested'), 100).unref();
    }
  }

  /** Withholds `hello` from every connection opened from now on: the app's client stays connecting. */
  withholdHellos(): void {
    this.withholdingHellos = true;
  }

  close(): void {
    clearInterval(this.pinger);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    this.wss.close();
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://stub');
    const ticket = url.searchParams.get('ticket') ?? '';
    const expires = this.tickets.get(ticket);
    if (url.pathname !== '/link/' || expires === undefined || expires < Date.now()) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.tickets.delete(ticket);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('close', () => this.sockets.delete(ws));
    if (this.withholdingHellos) this.awaitingHello.add(ws);
    else {
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.connections,
          debug_info: { host: 'applink-stub', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: this.appId },
        }),
      );
    }
    for (const wake of [...this.waiters]) wake();
  }

  /** An acknowledgement: `{envelope_id, payload?}`; anything else is ignored, as Slack does. */
  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: any;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    const pending = typeof message?.envelope_id === 'string' ? this.pending.get(message.envelope_id) : undefined;
    if (!pending) return;
    this.pending.delete(message.envelope_id);
    clearTimeout(pending.timer);
    const ms = performance.now() - pending.sentAt;
    const problems = ackProblems(pending.type, message.payload, pending.payload);
    if (problems.length > 0) {
      pending.resolve({ status: 400, text: problems.join('\n'), json: null, ms });
      return;
    }
    const answered = pending.type !== 'events_api' && typeof message.payload === 'object' && Object.keys(message.payload ?? {}).length > 0;
    pending.resolve({ status: 200, text: answered ? JSON.stringify(message.payload) : '', json: answered ? message.payload : null, ms });
  }
}
