import type { Logger } from '../logger';

/** Start-up was told to stop (SIGTERM/SIGINT) while it waited: not a failure. */
export class StartupStopped extends Error {
  constructor() {
    super('Stopped during start-up');
    this.name = 'StartupStopped';
  }
}

/** A start-up problem a person must fix (a variable's value); its message names the variable. No stack is shown. */
export class StartupProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupProblem';
  }
}

const FIRST_DELAY_MS = 1_000;
/** Waits stay short: whatever Herald waits for may come back any moment, and nobody is served meanwhile. */
const MAX_DELAY_MS = 30_000;

export interface WaitOptions {
  signal: AbortSignal;
  log: Logger;
  /** Told each problem's line as it happens (/readyz shows it). */
  onProblem?: (line: string) => void;
  firstDelayMs?: number;
}

export interface Attempt<T> {
  run(): Promise<T>;
  /**
   * For a failure that may pass by itself (the network, a server still starting): the one line that
   * says what failed, naming the variable; null for a failure to stop on (it is rethrown).
   */
  temporaryProblem(err: unknown): string | null;
  /** A wait the other side asked for (Slack's Retry-After). */
  retryAfterMs?(err: unknown): number | undefined;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** Runs `attempt` until it succeeds, retrying temporary failures for as long as it takes, until `signal` aborts. */
export async function retryUntilStopped<T>(attempt: Attempt<T>, options: WaitOptions): Promise<T> {
  const first = options.firstDelayMs ?? FIRST_DELAY_MS;
  for (let tries = 1; ; tries += 1) {
    if (options.signal.aborted) throw new StartupStopped();
    try {
      return await attempt.run();
    } catch (err) {
      if (options.signal.aborted) throw new StartupStopped();
      const problem = attempt.temporaryProblem(err);
      if (problem === null) throw err;
      const delay = attempt.retryAfterMs?.(err) ?? Math.min(MAX_DELAY_MS, first * 2 ** (tries - 1));
      options.onProblem?.(problem);
      options.log.warn({ attempt: tries, retryInMs: delay }, `${problem}; retrying in ${Math.ceil(delay / 1000)} s, until it works or Herald is stopped`);
      await pause(delay, options.signal);
    }
  }
}

/** A URL as it may be logged: no user name, no password, no query (it can carry credentials too). */
export function urlForLogs(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
