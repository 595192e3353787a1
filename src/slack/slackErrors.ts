import { ErrorCode, type WebAPICallResult } from '@slack/web-api';
import { ExternalCallError } from '../errors';

/** Slack error codes after which the same call may succeed later. */
const RETRYABLE_CODES = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** Turns whatever @slack/web-api threw into an ExternalCallError that says whether to retry. */
export function toExternalCallError(err: unknown): ExternalCallError {
  if (err instanceof ExternalCallError) return err;
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: WebAPICallResult & { error?: string }; message?: string };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return new ExternalCallError('ratelimited', true, (e.retryAfter ?? 1) * 1000);
    case ErrorCode.PlatformError: {
      const code = String(e.data?.error ?? 'unknown_error');
      return new ExternalCallError(code, RETRYABLE_CODES.has(code));
    }
    case ErrorCode.HTTPError:
      return new ExternalCallError(`http_${e.statusCode ?? 'error'}`, (e.statusCode ?? 500) >= 500 || e.statusCode === 429);
    case ErrorCode.RequestError:
      return new ExternalCallError('request_failed', true);
    default:
      return new ExternalCallError(e?.message ?? 'unknown_error', true);
  }
}

/** Runs a Web API call, rethrowing its failure as an ExternalCallError. */
export async function slackCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toExternalCallError(err);
  }
}

export function errorCodeOf(err: unknown): string {
  return toExternalCallError(err).code;
}
