import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { bearerMatches, secretsEqual } from '../bearer';
import type { Database } from '../db/client';
import { forgetSignalWindows, leaseSignalBudget } from './signalRateRepository';

/**
 * The HTTP plumbing every signal endpoint shares (alerts, deployments): who may post, how much, how
 * often, and what a refusal says. Nothing here writes but the shared rate budget: a request is refused
 * before its handler runs, and the handler answers 2xx only once what it was sent is committed.
 *
 * Routes are plain `{ path, method, handler(req, res) }` objects, the shape Bolt's HTTPReceiver takes as
 * custom routes and the Socket Mode health server serves on PORT, so both modes answer on one port.
 */

/** Largest body accepted; Alertmanager caps a notification well below this. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface SignalRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** A refusal with the status and JSON body the sender gets back. */
export class SignalHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.error));
    this.name = 'SignalHttpError';
  }
}

/** 400 naming the field at fault, e.g. `alerts[0].fingerprint`. */
export function badField(field: string, message: string): SignalHttpError {
  return new SignalHttpError(400, { ok: false, error: 'invalid_payload', field, message });
}

/** Parses with zod; the first problem becomes a 400 naming its field. */
export function parsePayload<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
  return (() => {
    throw badField(field || '(body)', issue.message);
  })();
}

/** Requests allowed per minute, counted in one-minute windows. */
export interface RateLimit {
  /** Null when allowed; otherwise the seconds until the next window. */
  take(now: number): Promise<number | null>;
}

const secondsToNextWindow = (windowStart: number, now: number) => Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000));

/** Counted in this process only (tests of the HTTP edge). */
export function createRateLimit(perMinute: number): RateLimit {
  let windowStart = 0;
  let used = 0;
  return {
    async take(now) {
      if (now - windowStart >= 60_000) {
        windowStart = now - (now % 60_000);
        used = 0;
      }
      if (used >= perMinute) return secondsToNextWindow(windowStart, now);
      used += 1;
      return null;
    },
  };
}

/** A replica leases a hundredth of the budget at a time (at most 50 requests, at least 1). */
export const leaseSlice = (perMinute: number): number => Math.max(1, Math.min(50, Math.floor(perMinute / 100)));

/**
 * Counted in the database, so every replica shares one ALERTS_RATE budget. A replica does not write the
 * minute's row on every request (one hot row that every concurrent request would queue on): it leases a
 * slice of the minute's budget from it and spends that in memory, one lease at a time however many
 * requests wait. The replicas together never accept more than the budget; a slice a replica has not
 * spent when the minute ends is lost, so at most `slice - 1` requests a replica go unused (none with a
 * budget under 200 a minute, where the slice is one request). Once a lease comes back short the minute
 * is spent, and the replica refuses until the next without asking the database again. The first lease
 * of a minute forgets old minutes.
 */
export function createSharedRateLimit(db: Database, perMinute: number, slice: number = leaseSlice(perMinute)): RateLimit {
  let window = -1;
  let left = 0;
  let spent = false;
  let leasing: Promise<void> | null = null;
  const lease = async (windowStart: number) => {
    const { granted, first } = await leaseSignalBudget(db, new Date(windowStart), slice, perMinute);
    if (first) await forgetSignalWindows(db, new Date(windowStart - 60 * 60_000));
    if (window !== windowStart) return;
    left += granted;
    if (granted < slice) spent = true;
  };
  return {
    async take(now) {
      for (;;) {
        // The minute only moves forward: a request whose clock reading lags one already counted in the
        // next minute is counted there too (else two minutes' requests would keep discarding each
        // other's leases).
        if (now - (now % 60_000) > window) {
          window = now - (now % 60_000);
          left = 0;
          spent = false;
        }
        if (left > 0) {
          left -= 1;
          return null;
        }
        if (spent) return secondsToNextWindow(window, now);
        leasing ??= lease(window).finally(() => {
          leasing = null;
        });
        await leasing;
      }
    },
  };
}

/** HMAC-SHA256 over `timestamp:body`, hex, as Grafana's webhook contact point signs with a timestamp header. */
export interface HmacCheck {
  secret: string;
  signatureHeader: string;
  timestampHeader: string;
  maxAgeMs: number;
}

export function signatureProblem(check: HmacCheck, headers: IncomingMessage['headers'], rawBody: Buffer, now: number): string | null {
  const signature = String(headers[check.signatureHeader.toLowerCase()] ?? '');
  const timestamp = String(headers[check.timestampHeader.toLowerCase()] ?? '');
  if (!signature || !timestamp) return `missing ${!signature ? check.signatureHeader : check.timestampHeader}`;
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds)) return `${check.timestampHeader} is not a Unix time`;
  if (Math.abs(now - seconds * 1000) > check.maxAgeMs) return `${check.timestampHeader} is older than ${check.maxAgeMs / 60_000} minutes`;
  const expected = createHmac('sha256', check.secret).update(`${timestamp}:`).update(rawBody).digest('hex');
  return secretsEqual(signature.toLowerCase(), expected) ? null : 'signature does not match';
}

export interface SignalRequest {
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  /** The body parsed as JSON. */
  body: unknown;
}

export interface SignalAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface SignalRouteOptions {
  path: string;
  /** No token configured: the endpoint does not exist (404). */
  token: string | undefined;
  rate: RateLimit;
  /** An extra check on the raw body (e.g. Grafana's signature); a string is the 401's reason. */
  verify?: (req: SignalRequest, now: number) => string | null;
  handle: (req: SignalRequest) => Promise<SignalAnswer>;
  clock?: () => number;
  /** Told about a failure the sender sees only as a 500, so it retries. */
  onError?: (err: unknown) => void;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Reads the body, refusing (413) as soon as it passes `limit`. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): SignalHttpError {
  // Connection: close, so the rest of an oversized body is not read.
  return new SignalHttpError(413, { ok: false, error: 'payload_too_large', message: `the body is over ${limit} bytes` }, { Connection: 'close' });
}

/**
 * One POST endpoint: 404 without a token, 401 on a wrong token or signature, 429 (Retry-After) over the
 * rate, 413 over 1 MiB, 400 on JSON that does not parse or a payload its handler refuses, 500 when the
 * handler fails (the sender retries); otherwise the handler's answer.
 */
export function signalRoute(options: SignalRouteOptions): SignalRoute {
  const clock = options.clock ?? Date.now;
  return {
    path: options.path,
    method: ['POST'],
    async handler(req, res) {
      try {
        if (!options.token) throw new SignalHttpError(404, { ok: false, error: 'not_found', message: 'signals are off: ALERTS_TOKEN is not set' });
        if (!bearerMatches(req.headers.authorization, options.token)) {
          throw new SignalHttpError(401, { ok: false, error: 'unauthorized', message: 'expected Authorization: Bearer <ALERTS_TOKEN>' }, { 'WWW-Authenticate': 'Bearer' });
        }
        const retryAfter = await options.rate.take(clock());
        if (retryAfter !== null) {
          throw new SignalHttpError(429, { ok: false, error: 'rate_limited', message: 'more than ALERTS_RATE requests this minute' }, { 'Retry-After': String(retryAfter) });
        }
        const rawBody = await readBody(req, MAX_BODY_BYTES);
        let body: unknown;
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch (err) {
          throw badField('(body)', `not JSON: ${(err as Error).message}`);
        }
        const request = { headers: req.headers, rawBody, body };
        const refused = options.verify?.(request, clock());
        if (refused) throw new SignalHttpError(401, { ok: false, error: 'bad_signature', message: refused });
        const answer = await options.handle(request);
        send(res, answer.status, answer.body);
      } catch (err) {
        if (err instanceof SignalHttpError) {
          send(res, err.status, err.body, err.headers);
          if (err.status === 413) req.resume();
          return;
        }
        options.onError?.(err);
        send(res, 500, { ok: false, error: 'internal_error', message: 'not stored; try again' });
      }
    },
  };
}
