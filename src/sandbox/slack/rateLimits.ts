/**
 * Slack's Web API rate limits, as the stand-in applies them: per method, per workspace (every client
 * of one stand-in shares the budget, as every replica of an app does), plus chat.postMessage's pace
 * per channel. Past a budget Slack answers HTTP 429 with `Retry-After` (whole seconds) and
 * {ok:false, error:'ratelimited'}.
 *
 * Tiers as Slack's method reference gives them (docs.slack.dev/reference/methods/<method>, and the
 * table Slack keeps in its Java SDK, MethodsRateLimits.java): Tier 1 1+/min, Tier 2 20+/min,
 * Tier 3 50+/min, Tier 4 100+/min; auth.test and chat.getPermalink are "special" (hundreds a minute).
 * Slack tolerates bursts above the per-minute figure, so each method gets a token bucket holding its
 * per-minute figure, refilled continuously over the window: ordinary traffic never waits, a storm does.
 */
import type { MethodRateLimits, PostRateLimit } from './types';

/** Requests per minute by tier. */
export const TIERS = { 1: 1, 2: 20, 3: 50, 4: 100, special: 600 } as const;
export type Tier = keyof typeof TIERS;

/** The tier of every method the stand-in serves (chat.postMessage has its own pace, below). */
export const METHOD_TIERS: Readonly<Record<string, Tier>> = {
  'apps.connections.open': 1,
  'conversations.create': 2,
  'conversations.setTopic': 2,
  'conversations.setPurpose': 2,
  'conversations.archive': 2,
  'conversations.list': 2,
  'pins.add': 2,
  'bookmarks.add': 2,
  'chat.update': 3,
  'conversations.invite': 3,
  'conversations.info': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.open': 3,
  'chat.postEphemeral': 4,
  'conversations.members': 4,
  'users.info': 4,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'views.publish': 4,
  'auth.test': 'special',
  'chat.getPermalink': 'special',
};

/**
 * Tier 1 says "a small amount of burst behaviour is tolerated": a Socket Mode app opens a couple of
 * connections at start-up and one more whenever Slack refreshes one, which Slack lets through.
 */
const TIER_1_BURST = 5;

const MINUTE_MS = 60_000;

interface Bucket {
  tokens: number;
  at: number;
}

/** A continuously refilled token bucket; `take` answers 0 when allowed, else the whole seconds to wait (≥ 1). */
function take(buckets: Map<string, Bucket>, key: string, capacity: number, perMs: number, now: number): number {
  const b = buckets.get(key) ?? { tokens: capacity, at: now };
  b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perMs);
  b.at = now;
  buckets.set(key, b);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
}

export class RateLimiter {
  private readonly methodBuckets = new Map<string, Bucket>();
  private readonly postBuckets = new Map<string, Bucket>();
  private readonly limited = new Map<string, number>();

  constructor(
    private methods: MethodRateLimits | false,
    private post: PostRateLimit | null,
  ) {}

  setMethodLimits(limits: MethodRateLimits | false): void {
    this.methods = limits;
    this.methodBuckets.clear();
  }

  setPostLimit(limit: PostRateLimit | null): void {
    this.post = limit;
    this.postBuckets.clear();
  }

  /** The method's budget per window, or undefined when it is not limited. */
  budget(method: string): number | undefined {
    if (this.methods === false || this.methods.unlimited?.includes(method)) return undefined;
    const override = this.methods.perWindow?.[method];
    if (override !== undefined) return override;
    const tier = METHOD_TIERS[method];
    return tier === undefined ? undefined : TIERS[tier];
  }

  /**
   * Spends one request of `method` (and, for chat.postMessage, of `channel`'s pace); 0 when allowed,
   * else the Retry-After in seconds. A request refused by a budget spends nothing from it.
   */
  admit(method: string, channel: string | undefined, now = Date.now()): number {
    const budget = this.budget(method);
    if (budget !== undefined && this.methods !== false) {
      const windowMs = this.methods.windowMs ?? MINUTE_MS;
      const capacity = Math.max(budget, METHOD_TIERS[method] === 1 && this.methods.perWindow?.[method] === undefined ? TIER_1_BURST : 0);
      const wait = take(this.methodBuckets, method, capacity, budget / windowMs, now);
      if (wait > 0) return this.refuse(method, wait);
    }
    if (method === 'chat.postMessage' && this.post && channel !== undefined) {
      const wait = take(this.postBuckets, channel, this.post.burst, this.post.perChannelPerSecond / 1000, now);
      if (wait > 0) return this.refuse(method, wait);
    }
    return 0;
  }

  /** 429s answered for `method` by these limits or by an injected failure. */
  count(method: string): number {
    return this.limited.get(method) ?? 0;
  }

  /** Record a 429 for `method` (also for failures injected by failNext). */
  refuse(method: string, wait: number): number {
    this.limited.set(method, (this.limited.get(method) ?? 0) + 1);
    return wait;
  }

  reset(): void {
    this.methodBuckets.clear();
    this.postBuckets.clear();
    this.limited.clear();
  }
}
