/**
 * A call to Slack (or any outside system) that failed. `retryable` says whether doing it again later can
 * succeed (rate limit, timeout, Slack-side error); `retryAfterMs` is Slack's Retry-After when it gave one.
 */
export class ExternalCallError extends Error {
  constructor(
    readonly code: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(code);
    this.name = 'ExternalCallError';
  }
}

/** Raised by use cases for input that breaks a rule; the message is shown to the person as is. */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}
