/**
 * The sandbox's clock: real time plus however far a person has fast-forwarded. Herald takes it as its
 * clock (scheduler, outbox, use cases) and the Slack stand-in stamps messages with it, so a prompt due
 * in 15 minutes is one click away.
 */
export interface SandboxClock {
  now(): Date;
  /** How far ahead of real time the sandbox is. */
  readonly offsetMs: number;
  advance(ms: number): void;
  reset(): void;
  /** Carries on from a saved offset (a restarted sandbox). */
  restore(offsetMs: number): void;
}

export function createSandboxClock(realNow: () => number = Date.now): SandboxClock {
  let offsetMs = 0;
  return {
    now: () => new Date(realNow() + offsetMs),
    get offsetMs() {
      return offsetMs;
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('fast-forward by a positive number of milliseconds');
      offsetMs += ms;
    },
    reset() {
      offsetMs = 0;
    },
    restore(saved) {
      offsetMs = Math.max(0, saved);
    },
  };
}
