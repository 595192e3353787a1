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

/**
 * Words for anything thrown, for the one line a person reads when Herald stops. Libraries throw more
 * than Errors (PGlite and Emscripten throw plain objects): use their message, else their JSON.
 */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null) {
    const { message } = err as { message?: unknown };
    if (typeof message === 'string' && message !== '') return message;
    try {
      const json = JSON.stringify(err);
      if (json && json !== '{}') return json;
    } catch {
      // Circular: fall through to the object's own description.
    }
    const name = (err as { constructor?: { name?: string } }).constructor?.name;
    return `a ${name && name !== 'Object' ? name : 'value'} with no message`;
  }
  return String(err);
}

/**
 * The database could not be reached in time (refused, dropped, or silent past the deadline). Raised by
 * the data layer in place of the driver's own errors, so callers need not know what the driver throws;
 * Slack's surface answers it with one plain sentence.
 */
export class DatabaseUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`The database is unavailable: ${describeError(cause)}`);
    this.name = 'DatabaseUnavailableError';
  }
}
