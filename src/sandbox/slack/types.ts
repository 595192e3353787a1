/**
 * Public types of the Slack Web API stand-in (see ../slackStub.ts).
 */
import type { SocketModeGateway } from './socketMode';
import type { SubmissionOutcome } from './submissions';
import type { SavedWorkspace } from './saved';

export interface StubUser {
  id: string;
  name: string;
  tz?: string;
  tz_offset?: number;
  is_bot?: boolean;
  deleted?: boolean;
  /** A workspace admin / owner, as users.info reports them (default false). */
  is_admin?: boolean;
  is_owner?: boolean;
}

export interface PostRateLimit {
  perChannelPerSecond: number;
  burst: number;
}

/**
 * Slack's per-method rate limits (see ./rateLimits.ts), on by default. Each method's budget is its
 * tier's per-minute figure, refilled continuously over `windowMs`; bursts up to the budget pass.
 */
export interface MethodRateLimits {
  /** The time in which a spent budget refills; default 60 000 ms. Shrink it so Retry-After is short. */
  windowMs?: number;
  /** Budgets per window that replace the tier's, e.g. { 'conversations.create': 2 } to provoke a storm. */
  perWindow?: Record<string, number>;
  /** Methods a test or bench deliberately drives past Slack's budget (e.g. a load test); never limited. */
  unlimited?: string[];
}

export interface StubOptions {
  /** Bot token the stub accepts. Default 'xoxb-test'. */
  token?: string;
  /** App-level token apps.connections.open accepts (Socket Mode). Default 'xapp-1-A0HERALD-1-test'. */
  appToken?: string;
  /** Default 'T0001'. */
  teamId?: string;
  /** Default 'UBOT'. */
  botUserId?: string;
  /** Default 'BBOT'. */
  botId?: string;
  /** Default: U1..U5 (alice, bob, carol, dave, erin). The bot user is always added. */
  users?: StubUser[];
  /** OAuth scopes of the bot token; a call needing another gets `missing_scope`. Default: manifest.yml's bot scopes. */
  scopes?: string[];
  /** Token bucket per channel for chat.postMessage; default null = off. */
  postRateLimit?: PostRateLimit | null;
  /** Slack's per-method tiers (Tier 2 20/min …), per workspace; default on. `false` turns them off. */
  methodRateLimits?: MethodRateLimits | false;
  /** The clock message timestamps follow (ms since the epoch); default Date.now. Triggers keep real time. */
  messageClock?: () => number;
}

export interface StubCall {
  method: string;
  /** Arguments as received (token removed); JSON-encoded `blocks`/`view`/`attachments` are decoded. */
  args: Record<string, any>;
  ok: boolean;
  error?: string;
  /** HTTP status answered (0 while a delayed call is still pending). */
  status: number;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface StubChannel {
  id: string;
  name: string;
  is_private: boolean;
  creator: string;
  members: Set<string>;
  topic: string;
  purpose: string;
  pins: string[];
  bookmarks: Array<{ title: string; link: string }>;
  created: number;
  is_im?: boolean;
  /** Multi-person DM (conversations.open with several users). */
  is_mpim?: boolean;
  /** Set it to true in a test to make the channel refuse posts etc. with `is_archived`. */
  is_archived?: boolean;
  /** For DMs: the other user. */
  user?: string;
}

export interface StubMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: any[];
  user: string;
  edited?: boolean;
  /** Message metadata given to chat.postMessage; returned by history/replies with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Earlier versions, oldest first (chat.update pushes the version it replaces). */
  history: Array<{ text?: string; blocks?: any[] }>;
  /** Files shared with the message (files.completeUploadExternal with a channel). */
  files?: Array<{ id: string; name: string; title: string }>;
}

/** A file of the external upload flow: announced (getUploadURLExternal), uploaded, then completed. */
export interface StubFile {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  /** The path of its upload_url on the stand-in. */
  uploadPath: string;
  /** The bytes sent to upload_url, once accepted. */
  bytes: Buffer | null;
  completed: boolean;
  title?: string;
  /** Channels it was shared to. */
  channels: string[];
}

export interface StubEphemeral {
  channel: string;
  user: string;
  text?: string;
  blocks?: any[];
  ts: string;
  thread_ts?: string;
}

export interface StubView {
  id: string;
  hash: string;
  /** The stored view as Slack would return it (payload plus id, hash, root_view_id, …). */
  view: any;
  user: string;
  /** Ids of the views in this view's modal stack, root first (shared by every view of the stack). */
  stack: string[];
}

export interface TriggerOptions {
  /** Validity; default 3000 ms. */
  ttlMs?: number;
  /** The user the trigger belongs to (recorded as StubView.user). Default: the first non-bot user. */
  user?: string;
  /** For views.push: the open view the interaction came from. Default: the user's latest modal. */
  viewId?: string;
}

export interface FailureSpec {
  /** 200 {ok:false,error} (or the body of a non-200 `status`). */
  error?: string;
  /** HTTP status; non-200 without `error` answers a plain-text body. */
  status?: number;
  /** HTTP 429 with `Retry-After: <retryAfter>` and {ok:false,error:'ratelimited'}. */
  retryAfter?: number;
  /** How many consecutive calls fail; default 1. */
  times?: number;
  /** Answer after this delay. Alone, the call is then processed normally (its effect happens even if the client gave up). */
  delayMs?: number;
}

export interface SlackStub {
  /** e.g. 'http://127.0.0.1:PORT/api/' (trailing slash; WebClient appends the method). */
  apiUrl: string;
  token: string;
  appToken: string;
  /** Socket Mode: the WebSocket URLs apps.connections.open hands out, and requests sent as envelopes. */
  socketMode: SocketModeGateway;
  teamId: string;
  botUserId: string;
  botId: string;
  /** Every API call, in order of arrival. */
  calls: StubCall[];
  /** All calls to that method (successful or not). */
  callsTo(method: string): StubCall[];
  okCallsTo(method: string): StubCall[];
  channels: Map<string, StubChannel>;
  channelByName(name: string): StubChannel | undefined;
  /** Every posted message (chat.update edits in place and pushes the old version to history). */
  messages: StubMessage[];
  messagesIn(channel: string): StubMessage[];
  ephemerals: StubEphemeral[];
  /** Files of the external upload flow, by id, whatever stage they reached. */
  files: Map<string, StubFile>;
  views: Map<string, StubView>;
  /** View payloads accepted by views.open, in order. */
  openedViews(): any[];
  /** A fresh trigger_id: single-use, valid 3000 ms by default. */
  issueTrigger(opts?: TriggerOptions): string;
  addUser(u: StubUser): void;
  /** A pre-existing channel (e.g. to test name_taken, an announce channel). */
  addChannel(c: { name: string; is_private?: boolean; members?: string[]; id?: string; creator?: string }): StubChannel;
  /** A message written by someone other than the bot (e.g. a human's thread reply). */
  addMessage(m: { channel: string; user: string; text?: string; blocks?: any[]; thread_ts?: string }): StubMessage;
  /**
   * A fresh URL on this server where POSTs (JSON) are recorded, like Slack's response_url: at most 5
   * uses, within 30 minutes of `issuedAt` (default now), then 404 `used_url` / `expired_url`.
   */
  responseUrl(opts?: { issuedAt?: number }): string;
  responses: Array<{ url: string; body: any }>;
  /** POSTs to upload URLs, in order, with the status answered. */
  uploads: Array<{ path: string; length: number; status: number }>;
  /** Make the next `times` calls of `method` fail (see FailureSpec); `upload` stands for POSTs to upload URLs. Queued after earlier failNext calls for that method. */
  failNext(method: string, failure: FailureSpec): void;
  /** Count of 429s answered. */
  rateLimited: number;
  /** Count of 429s answered to `method` (by its tier's budget, its channel's pace or failNext). */
  rateLimitedTo(method: string): number;
  setPostRateLimit(l: PostRateLimit | null): void;
  /** Replace the per-method limits (`false` = off); their budgets start full again. */
  setMethodRateLimits(l: MethodRateLimits | false): void;
  /** The Home tab Herald last published for `user`. */
  homeView(user: string): StubView | undefined;
  /** What Slack does with an app's answer to the submission of an open view (see ./submissions.ts). */
  answerSubmission(viewId: string, answer: unknown): SubmissionOutcome;
  /** A person closes a modal: it and the views pushed above it go. */
  closeView(viewId: string): void;
  /** The workspace written down (channels, DMs, messages, views, files), for loadWorkspace. */
  saveWorkspace(): SavedWorkspace;
  /** Replaces the workspace with a saved one; the people stay as configured. */
  loadWorkspace(saved: SavedWorkspace): void;
  /** reset(), and forget channels and DMs too: a fresh workspace with the same people. */
  resetWorkspace(): void;
  /** Clear recorded calls/messages/ephemerals/responses/views/triggers, pending failures and rate-limit state; keep users & channels. */
  reset(): void;
  close(): Promise<void>;
}
