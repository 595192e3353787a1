import type { FetchFunction } from '@slack/web-api';

/** Told of every HTTP call a Slack Web API client makes (each attempt of a retried call counts). */
export interface SlackCallObserver {
  called(method: string, outcome: string, seconds: number): void;
}

/**
 * Error codes reported as themselves; any other becomes `other`, so a metric label can only take a
 * bounded set of values whatever Slack answers. Those Herald's calls can meet, and Slack's usual ones.
 */
const KNOWN_ERROR_CODES = new Set([
  'account_inactive', 'already_in_channel', 'already_pinned', 'cannot_dm_bot', 'cant_invite', 'cant_invite_self',
  'cant_update_message', 'channel_not_found', 'duplicate_external_id', 'edit_window_closed', 'ekm_access_denied',
  'exchanged_trigger_id', 'expired_trigger_id', 'fatal_error', 'file_not_found', 'hash_conflict', 'internal_error',
  'invalid_arguments', 'invalid_auth', 'invalid_blocks', 'invalid_blocks_format', 'invalid_cursor', 'invalid_metadata_format',
  'invalid_metadata_schema', 'invalid_name', 'invalid_name_maxlength', 'invalid_name_punctuation', 'invalid_name_required',
  'invalid_name_specials', 'invalid_trigger_id', 'is_archived', 'message_not_found', 'messages_tab_disabled', 'method_deprecated',
  'missing_scope', 'msg_too_long', 'name_taken', 'no_permission', 'no_text', 'not_allowed_token_type', 'not_authed', 'not_found',
  'not_in_channel', 'not_pinnable', 'push_limit_reached', 'request_timeout', 'restricted_action', 'service_unavailable',
  'team_added_to_org', 'thread_not_found', 'token_expired', 'token_revoked', 'too_long', 'too_many_users', 'unknown_method',
  'user_disabled', 'user_is_restricted', 'user_not_found', 'user_not_in_channel', 'users_not_found', 'view_too_large',
]);

/** What one call came to: `ok`, a Slack error code (bounded), `rate_limited`, `timed_out`, `request_failed`, `http_error`. */
export function outcomeOfAnswer(status: number, body: string | null): string {
  if (status === 429) return 'rate_limited';
  if (status < 200 || status >= 300) return 'http_error';
  if (body === null || body.startsWith('{"ok":true')) return 'ok';
  let answer: { ok?: unknown; error?: unknown };
  try {
    answer = JSON.parse(body) as typeof answer;
  } catch {
    return 'invalid_response';
  }
  if (answer.ok === true) return 'ok';
  if (answer.error === 'ratelimited') return 'rate_limited';
  return typeof answer.error === 'string' && KNOWN_ERROR_CODES.has(answer.error) ? answer.error : 'other';
}

/** A call that got no answer: Herald's timeout passed (`timed_out`), or the network failed. */
export function outcomeOfFailure(err: unknown): string {
  const name = (err as { name?: unknown })?.name;
  return name === 'TimeoutError' || name === 'AbortError' ? 'timed_out' : 'request_failed';
}

/** `chat.postMessage` from `…/api/chat.postMessage`; anything else (a file's upload URL) is `other`. */
export function methodOf(url: string): string {
  const last = url.slice(url.lastIndexOf('/') + 1).split('?')[0] ?? '';
  return /^[a-z]+(?:\.[a-zA-Z]+)+$/.test(last) && last.length <= 64 ? last : 'other';
}

/**
 * The `fetch` every Slack client of Herald's uses (its own, Bolt's per-request clients and the Socket
 * Mode connections'), telling `observer` what each call came to. A Web API answer is read here once
 * and handed on as a new Response, so its outcome is counted before the caller sees it.
 */
export function observedFetch(observer: SlackCallObserver, fetchFn: FetchFunction = globalThis.fetch as FetchFunction): FetchFunction {
  return async (url, init) => {
    const method = methodOf(String(url));
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let body: string | null = null;
    let response;
    try {
      response = await fetchFn(url, init);
      // Only a Web API method's 200 says in its body whether it worked; an upload's body is not JSON.
      if (response.status === 200 && method !== 'other') body = await response.text();
    } catch (err) {
      observer.called(method, outcomeOfFailure(err), seconds());
      throw err;
    }
    observer.called(method, outcomeOfAnswer(response.status, body), seconds());
    if (body === null) return response;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers as Headers });
  };
}
