/**
 * The HTTP side of the stub: parses Web API calls like Slack does (form or JSON bodies, Bearer
 * token), records them, injects failures, applies Slack's rate limits (./rateLimits.ts), dispatches
 * to the method handlers, and serves response_url endpoints.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiRefusal, Args, decodeForRecord, refuse } from './args';
import { validateMessageBlocks } from './blockKit';
import { chatMethods } from './methods/chat';
import { fileMethods, receiveUpload } from './methods/files';
import type { Handler } from './methods/common';
import { conversationMethods } from './methods/conversations';
import { miscMethods } from './methods/misc';
import { viewMethods } from './methods/views';
import { RateLimiter } from './rateLimits';
import { kindOf, missingScope, readManifest } from './scopes';
import { SocketModeGateway } from './socketMode';
import type {
  FailureSpec, MethodRateLimits, PostRateLimit, SlackStub, StubCall, StubChannel, StubEphemeral, StubFile, StubMessage, StubOptions, StubUser, StubView,
  TriggerOptions,
} from './types';
import { answerSubmission, closeView, type SubmissionOutcome } from './submissions';
import type { SavedWorkspace } from './saved';
import { DEFAULT_USERS, World } from './world';

const HANDLERS: Record<string, Handler> = { ...miscMethods, ...chatMethods, ...conversationMethods, ...viewMethods, ...fileMethods };

/** The app's id, as in the payloads Slack sends it. */
const APP_ID = 'A0HERALD';

/** Slack lets a response_url be used at most this many times, within this long of the interaction. */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60_000;

type Json = Record<string, unknown>;

function send(res: http.ServerResponse, status: number, body: Json | string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const json = typeof body !== 'string';
  res.writeHead(status, {
    'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    ...headers,
  });
  res.end(json ? JSON.stringify(body) : body);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Query string plus form or JSON body; the token may come in a form body, never in JSON. */
function parseArgs(req: http.IncomingMessage, url: URL, body: string): Record<string, any> {
  const args: Record<string, any> = Object.fromEntries(url.searchParams);
  if (body.length === 0) return args;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      refuse('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) refuse('invalid_json');
    const { token: _ignored, ...rest } = parsed as Record<string, any>;
    return { ...args, ...rest };
  }
  if (type === 'application/x-www-form-urlencoded') return { ...args, ...Object.fromEntries(new URLSearchParams(body)) };
  if (type === '') refuse('missing_post_type');
  refuse('invalid_post_type');
}

function bearer(req: http.IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

class StubServer implements SlackStub {
  apiUrl = '';
  readonly token: string;
  readonly appToken: string;
  readonly socketMode: SocketModeGateway;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly calls: StubCall[] = [];
  readonly responses: Array<{ url: string; body: any }> = [];
  readonly uploads: Array<{ path: string; length: number; status: number }> = [];
  rateLimited = 0;

  private readonly world: World;
  private readonly server = http.createServer((req, res) => void this.onRequest(req, res));
  private readonly failures = new Map<string, Array<FailureSpec & { remaining: number }>>();
  private readonly limits: RateLimiter;
  private readonly responseUrls = new Map<string, { uses: number; issuedAt: number }>();
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private origin = '';
  private closed = false;
  private urlSeq = 0;

  constructor(opts: StubOptions) {
    this.token = opts.token ?? 'xoxb-test';
    this.appToken = opts.appToken ?? 'xapp-1-A0HERALD-1-test';
    this.socketMode = new SocketModeGateway(APP_ID);
    this.teamId = opts.teamId ?? 'T0001';
    this.botUserId = opts.botUserId ?? 'UBOT';
    this.botId = opts.botId ?? 'BBOT';
    this.limits = new RateLimiter(opts.methodRateLimits ?? {}, opts.postRateLimit ?? null);
    const manifest = readManifest();
    this.world = new World(
      { token: this.token, teamId: this.teamId, botUserId: this.botUserId, botId: this.botId },
      opts.users ?? DEFAULT_USERS,
      new Set(opts.scopes ?? manifest.botScopes),
      manifest.tabs,
    );
    if (opts.messageClock) this.world.messageClock = opts.messageClock;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.origin}/api/`;
    this.world.origin = this.origin;
    this.socketMode.attach(this.server, this.origin);
  }

  /* ------------------------------------------------------------ state views */

  get channels(): Map<string, StubChannel> {
    return this.world.channels;
  }
  get messages(): StubMessage[] {
    return this.world.messages;
  }
  get ephemerals(): StubEphemeral[] {
    return this.world.ephemerals;
  }
  get views(): Map<string, StubView> {
    return this.world.views;
  }
  get files(): Map<string, StubFile> {
    return this.world.files;
  }

  callsTo(method: string): StubCall[] {
    return this.calls.filter((c) => c.method === method);
  }
  okCallsTo(method: string): StubCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }
  channelByName(name: string): StubChannel | undefined {
    return this.world.channelByName(name);
  }
  messagesIn(channel: string): StubMessage[] {
    return this.world.messages.filter((m) => m.channel === channel);
  }
  openedViews(): any[] {
    return [...this.world.openedViews];
  }

  /* --------------------------------------------------------------- set-up */

  issueTrigger(opts?: TriggerOptions): string {
    return this.world.issueTrigger(opts);
  }
  addUser(u: StubUser): void {
    this.world.users.set(u.id, { ...u });
  }
  addChannel(c: { name: string; is_private?: boolean; members?: string[]; id?: string; creator?: string }): StubChannel {
    return this.world.addChannel(c);
  }
  addMessage(m: { channel: string; user: string; text?: string; blocks?: any[]; thread_ts?: string }): StubMessage {
    if (!this.world.channels.has(m.channel)) throw new Error(`slackStub.addMessage: unknown channel ${m.channel}`);
    const msg: StubMessage = { ...m, ts: this.world.nextTs(), edited: false, history: [] };
    this.world.messages.push(msg);
    return msg;
  }
  responseUrl(opts: { issuedAt?: number } = {}): string {
    const path = `/response/${++this.urlSeq}/${Math.random().toString(36).slice(2, 10)}`;
    this.responseUrls.set(path, { uses: 0, issuedAt: opts.issuedAt ?? Date.now() });
    return `${this.origin}${path}`;
  }
  failNext(method: string, failure: FailureSpec): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ ...failure, remaining: Math.max(1, failure.times ?? 1) });
    this.failures.set(method, queue);
  }
  setPostRateLimit(l: PostRateLimit | null): void {
    this.limits.setPostLimit(l);
  }
  setMethodRateLimits(l: MethodRateLimits | false): void {
    this.limits.setMethodLimits(l);
  }
  rateLimitedTo(method: string): number {
    return this.limits.count(method);
  }
  homeView(user: string): StubView | undefined {
    return this.world.homeViewOf(user);
  }
  answerSubmission(viewId: string, answer: unknown): SubmissionOutcome {
    return answerSubmission(this.world, viewId, answer);
  }
  closeView(viewId: string): void {
    closeView(this.world, viewId);
  }
  saveWorkspace(): SavedWorkspace {
    return this.world.save();
  }
  loadWorkspace(saved: SavedWorkspace): void {
    this.reset();
    this.world.load(saved);
  }
  resetWorkspace(): void {
    this.reset();
    this.world.forgetAll();
    this.responseUrls.clear();
  }
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.uploads.length = 0;
    this.rateLimited = 0;
    this.failures.clear();
    this.limits.reset();
    this.world.clearRecords();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.sleeping) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleeping.clear();
    this.socketMode.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /* ------------------------------------------------------------- requests */

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.origin);
      const bytes = await readBody(req);
      const body = bytes.toString('utf8');
      if (url.pathname.startsWith('/api/')) await this.onApiCall(url.pathname.slice('/api/'.length), url, req, body, res);
      else if (this.responseUrls.has(url.pathname)) this.onResponseUrl(url.pathname, body, res);
      else if (url.pathname.startsWith('/upload/') && req.method === 'POST') this.onUpload(url.pathname, bytes, res);
      else send(res, 404, 'expired_url');
    } catch (err) {
      // A bug in the stub itself: make it loud rather than looking like a Slack refusal.
      send(res, 500, `slack stub failure: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }

  private async onApiCall(method: string, url: URL, req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const call: StubCall = { method, args: {}, ok: false, status: 0, at: Date.now() };
    this.calls.push(call);
    const finish = (status: number, answer: Json | string, headers: Record<string, string> = {}): void => {
      call.status = status;
      call.ok = typeof answer !== 'string' && answer.ok === true;
      if (!call.ok) call.error = typeof answer === 'string' ? `http_${status}` : String(answer.error);
      send(res, status, answer, headers);
    };

    let raw: Record<string, any>;
    try {
      raw = parseArgs(req, url, body);
    } catch (err) {
      if (err instanceof ApiRefusal) return finish(200, { ok: false, error: err.code });
      throw err;
    }
    call.args = decodeForRecord(raw);

    const failure = this.takeFailure(method);
    if (failure?.delayMs) {
      await this.sleep(failure.delayMs);
      if (this.closed) return;
    }
    if (failure && (failure.retryAfter !== undefined || failure.error !== undefined || (failure.status ?? 200) !== 200)) {
      return this.fail(method, failure, finish);
    }

    const token = bearer(req) ?? (typeof raw.token === 'string' && raw.token !== '' ? raw.token : undefined);
    if (token === undefined) return finish(200, { ok: false, error: 'not_authed' });
    // apps.connections.open takes the app-level token and nothing else does; Slack says which is wrong.
    const wantsAppToken = method === 'apps.connections.open';
    if (token === (wantsAppToken ? this.token : this.appToken)) return finish(200, { ok: false, error: 'not_allowed_token_type' });
    if (token !== (wantsAppToken ? this.appToken : this.token)) return finish(200, { ok: false, error: 'invalid_auth' });
    if (wantsAppToken) return finish(200, { ok: true, url: this.socketMode.openUrl() });
    // Like Slack, every answer to a recognised bot token says what the token holds: `x-oauth-scopes`,
    // the granted scopes joined by commas (node-slack-sdk reads it into response_metadata.scopes).
    const granted = { 'x-oauth-scopes': [...this.world.scopes].join(',') };
    const answer = (status: number, body: Json, headers: Record<string, string> = {}) => finish(status, body, { ...granted, ...headers });
    const handler = Object.hasOwn(HANDLERS, method) ? HANDLERS[method] : undefined;
    if (!handler) return answer(200, { ok: false, error: 'unknown_method', req_method: method });

    const needed = missingScope(method, raw, this.world.scopes, (id) => kindOf(this.world.channels.get(this.world.rateKey(id))));
    if (needed) return answer(200, { ok: false, error: 'missing_scope', needed, provided: [...this.world.scopes].join(',') });

    const wait = this.limits.admit(method, method === 'chat.postMessage' ? this.world.rateKey(String(raw.channel ?? '')) : undefined);
    if (wait > 0) {
      this.rateLimited += 1;
      return answer(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(wait) });
    }

    try {
      answer(200, { ok: true, ...handler(this.world, new Args(raw)) });
    } catch (err) {
      if (err instanceof ApiRefusal) return answer(200, { ok: false, error: err.code, ...err.extra });
      throw err;
    }
  }

  private takeFailure(method: string): FailureSpec | undefined {
    const queue = this.failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head;
  }

  private fail(method: string, f: FailureSpec, finish: (status: number, answer: Json | string, headers?: Record<string, string>) => void): void {
    if (f.retryAfter !== undefined || f.status === 429) {
      this.rateLimited += 1;
      const seconds = this.limits.refuse(method, Math.max(0, Math.ceil(f.retryAfter ?? 1)));
      return finish(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(seconds) });
    }
    const status = f.status ?? 200;
    if (f.error !== undefined) return finish(status, { ok: false, error: f.error });
    finish(status, http.STATUS_CODES[status] ?? 'error');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeping.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.sleeping.add(entry);
    });
  }

  /** An upload_url handed out by files.getUploadURLExternal: the raw bytes of the file. */
  private onUpload(path: string, bytes: Buffer, res: http.ServerResponse): void {
    const failure = this.takeFailure('upload');
    if (failure) return send(res, failure.status ?? 500, failure.error ?? 'upload_failed');
    const answer = receiveUpload(this.world, path, bytes);
    this.uploads.push({ path, length: bytes.length, status: answer.status });
    send(res, answer.status, answer.body);
  }

  /** Like Slack's response_url: JSON {text, blocks, response_type, replace_original, delete_original}. */
  private onResponseUrl(path: string, body: string, res: http.ServerResponse): void {
    const url = this.responseUrls.get(path)!;
    if (Date.now() - url.issuedAt > RESPONSE_URL_TTL_MS) return send(res, 404, 'expired_url');
    if (url.uses >= RESPONSE_URL_USES) return send(res, 404, 'used_url');
    let payload: any;
    try {
      payload = JSON.parse(body);
    } catch {
      return send(res, 400, 'invalid_payload');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return send(res, 400, 'invalid_payload');
    if (payload.text !== undefined && typeof payload.text !== 'string') return send(res, 400, 'invalid_payload');
    if (payload.response_type !== undefined && !['in_channel', 'ephemeral'].includes(payload.response_type)) {
      return send(res, 400, 'invalid_payload');
    }
    if (payload.blocks !== undefined && validateMessageBlocks(payload.blocks).length > 0) return send(res, 400, 'invalid_blocks');
    const hasContent = (payload.text ?? '') !== '' || (Array.isArray(payload.blocks) && payload.blocks.length > 0);
    if (!hasContent && payload.delete_original !== true) return send(res, 400, 'no_text');
    url.uses += 1;
    this.responses.push({ url: `${this.origin}${path}`, body: payload });
    send(res, 200, 'ok');
  }
}

export async function startSlackStub(opts: StubOptions = {}): Promise<SlackStub> {
  const stub = new StubServer(opts);
  await stub.listen();
  return stub;
}
