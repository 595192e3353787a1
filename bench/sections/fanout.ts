import { WebClient } from '@slack/web-api';
import { performance } from 'node:perf_hooks';
import { SUBCOMMANDS } from '../../src/slack/blocks/help';
import { DECLARE_BLOCKS } from '../../src/slack/ids';
import { startTestHerald, waitFor, type TestHerald } from '../../test/support/harness';
import { startSlackStub, type PostRateLimit, type SlackStub } from '../../test/support/slackStub';
import { createPgliteDatabase, createPostgresDatabase, type BenchDatabase } from '../databases';
import type { Sizes } from '../options';
import { progress, table, type Goal, type SectionResult } from '../report';
import { fmt } from '../stats';

/** Slack's documented chat.postMessage limit: about one message a second per channel, short bursts allowed. */
export const POST_LIMIT: PostRateLimit = { perChannelPerSecond: 1, burst: 3 };

export interface Destinations {
  channels: string[];
  users: string[];
}

/**
 * The least time the per-channel limit allows for delivering `messages[d]` messages to each
 * destination: a destination's first `burst` go at once, the rest one per 1/rate seconds.
 * One update to distinct destinations is one message each, so the limit alone allows 0 ms; what is
 * left is the cost of the calls themselves, measured as the floor.
 */
export function minimumUnderLimit(messagesPerDestination: number[], limit: PostRateLimit): number {
  const worst = Math.max(0, ...messagesPerDestination);
  return (Math.max(0, worst - limit.burst) / limit.perChannelPerSecond) * 1000;
}

export interface FanOutMeasure {
  /** Submission sent → last destination has its message. */
  lastDeliveryMs: number;
  delivered: number;
  duplicates: number;
  rateLimited: number;
}

/**
 * Times one update: `submit` sends it as a person would; `deliveries` says, per destination, how many
 * messages it has received since the start. Works for Herald and for the floor alike.
 */
export async function measureFanOut(options: {
  slack: SlackStub;
  destinations: number;
  submit: () => Promise<void>;
  deliveries: () => number[];
  timeoutMs?: number;
}): Promise<FanOutMeasure> {
  const { slack } = options;
  const rateLimitedBefore = slack.rateLimited;
  const started = performance.now();
  await options.submit();
  let counts = options.deliveries();
  const deadline = started + (options.timeoutMs ?? 120_000);
  while (counts.filter((n) => n > 0).length < options.destinations) {
    if (performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 2));
    counts = options.deliveries();
  }
  const lastDeliveryMs = performance.now() - started;
  // Anything still to come (a duplicate) gets a moment to show up.
  await new Promise((r) => setTimeout(r, 500));
  counts = options.deliveries();
  return {
    lastDeliveryMs,
    delivered: counts.filter((n) => n > 0).length,
    duplicates: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    rateLimited: slack.rateLimited - rateLimitedBefore,
  };
}

/**
 * Remembers `isUpdate`'s answer per message (until its text or blocks change): the bench polls every
 * 2 ms in Herald's own process, and classifying every message again on each poll (a JSON.stringify of
 * its blocks) cost the measured run CPU time that the floor's run, which classifies nothing, did not pay.
 */
const classified = new WeakMap<object, { text: unknown; blocks: unknown; isUpdate: boolean }>();
function classify(m: { text?: string; blocks?: any[] }, isUpdate: (m: { text?: string; blocks?: any[] }) => boolean): boolean {
  const known = classified.get(m);
  if (known && known.text === m.text && known.blocks === m.blocks) return known.isUpdate;
  const answer = isUpdate(m);
  classified.set(m, { text: m.text, blocks: m.blocks, isUpdate: answer });
  return answer;
}

/** Counts messages per destination posted after `since` (an index into slack.messages); a user's DM counts for the user. */
export function deliveriesSince(slack: SlackStub, destinations: Destinations, since: number, isUpdate: (m: { text?: string; blocks?: any[] }) => boolean = () => true): number[] {
  const perChannel = new Map<string, number>();
  for (const m of slack.messages.slice(since)) {
    if (m.thread_ts || !classify(m, isUpdate)) continue;
    const channel = slack.channels.get(m.channel);
    const key = channel?.is_im && channel.user ? channel.user : m.channel;
    perChannel.set(key, (perChannel.get(key) ?? 0) + 1);
  }
  return [...destinations.channels, ...destinations.users].map((d) => perChannel.get(d) ?? 0);
}

function addDestinations(slack: SlackStub, sizes: Sizes['fanout']): Destinations {
  const channels = Array.from({ length: sizes.channels }, (_, i) => slack.addChannel({ name: `stakeholders-${i + 1}`, members: [slack.botUserId] }).id);
  const users = Array.from({ length: sizes.dms }, (_, i) => {
    const id = `UF${String(i + 1).padStart(6, '0')}`;
    slack.addUser({ id, name: `stakeholder${i + 1}` });
    return id;
  });
  return { channels, users };
}

/** The floor: the same messages posted straight through a WebClient configured as Herald's, all at once. */
async function floor(slack: SlackStub, destinations: Destinations): Promise<FanOutMeasure> {
  const client = new WebClient(slack.token, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  // Warm, as Herald's client is by the time an update goes out.
  const warmUp = slack.addChannel({ name: 'floor-warm-up', members: [slack.botUserId] }).id;
  await Promise.all(Array.from({ length: 3 }, () => client.chat.postMessage({ channel: warmUp, text: 'warm-up' })));
  const since = slack.messages.length;
  const all = [...destinations.channels, ...destinations.users];
  return measureFanOut({
    slack,
    destinations: all.length,
    submit: async () => {
      await Promise.all(all.map((channel) => client.chat.postMessage({ channel, text: 'Update on incident #1: bench floor' })));
    },
    deliveries: () => deliveriesSince(slack, destinations, since),
  });
}

/**
 * How Herald is made to send one update to the destinations, through its Slack surface: stakeholder
 * lists (`/incident stakeholders <service>`), a declared incident with those services, `/incident
 * update` in its channel. Returns null while this build has no status updates (issue 5).
 */
export interface HeraldFanOut {
  prepare(t: TestHerald, destinations: Destinations): Promise<void>;
  submit(t: TestHerald): Promise<void>;
  isUpdate(message: { text?: string; blocks?: any[] }): boolean;
}

async function openedBy(t: TestHerald, open: () => Promise<unknown>): Promise<any> {
  const before = t.slack.openedViews().length;
  await open();
  await waitFor(() => t.slack.openedViews().length > before, 'a modal');
  const opened = [...t.slack.views.values()].at(-1)!;
  return { ...opened.view, id: opened.id, hash: opened.hash };
}

const inputBlock = (view: any, elementType: string) => view.blocks.find((b: any) => b.type === 'input' && b.element.type === elementType)?.block_id as string | undefined;

/** At most this many channels or people per stakeholder list (Slack's multi-select allows 100). */
const PER_SERVICE = 75;

function heraldFanOut(): HeraldFanOut | null {
  if (!SUBCOMMANDS.update?.ready || !SUBCOMMANDS.stakeholders?.ready) return null;
  let incidentChannel = '';
  return {
    async prepare(t, destinations) {
      const services: string[] = [];
      for (let i = 0; i * PER_SERVICE < Math.max(destinations.channels.length, destinations.users.length); i += 1) {
        const name = `Bench service ${i + 1}`;
        const view = await openedBy(t, () => t.command(`stakeholders ${name}`));
        const answers: Record<string, unknown> = {};
        const channels = inputBlock(view, 'multi_conversations_select');
        const people = inputBlock(view, 'multi_users_select');
        if (channels) answers[channels] = destinations.channels.slice(i * PER_SERVICE, (i + 1) * PER_SERVICE);
        if (people) answers[people] = destinations.users.slice(i * PER_SERVICE, (i + 1) * PER_SERVICE);
        const res = await t.submitView(view, answers);
        if (res.json?.response_action === 'errors') throw new Error(`stakeholders refused: ${JSON.stringify(res.json.errors)}`);
        services.push(name);
      }
      const ids = await t.db.selectFrom('services').select('id').where('name', 'in', services).execute();
      const declare = await openedBy(t, () => t.command('declare Bench fan-out'));
      await t.submitView(declare, { [DECLARE_BLOCKS.severity]: 'SEV2', [DECLARE_BLOCKS.services]: ids.map((r) => String(r.id)) });
      await t.settle();
      const row = await t.db.selectFrom('incidents').select('channel_id').orderBy('id', 'desc').executeTakeFirstOrThrow();
      incidentChannel = row.channel_id!;
    },
    async submit(t) {
      const view = await openedBy(t, () => t.command('update', { channel: incidentChannel }));
      const answers: Record<string, unknown> = {};
      for (const block of view.blocks) {
        if (block.type === 'input' && block.element.type === 'plain_text_input' && !block.element.initial_value) answers[block.block_id] = 'Card payments fail for 1 in 5 customers';
      }
      const res = await t.submitView(view, answers);
      if (res.status !== 200 || res.json?.response_action === 'errors') throw new Error(`the update was refused: ${res.text}`);
    },
    isUpdate: (m) => JSON.stringify(m.blocks ?? m.text ?? '').includes('Update on incident'),
  };
}

interface Row {
  who: string;
  measure: FanOutMeasure | null;
}

async function runOn(database: BenchDatabase, sizes: Sizes['fanout'], fanOut: HeraldFanOut): Promise<FanOutMeasure> {
  const slack = await startSlackStub();
  const destinations = addDestinations(slack, sizes);
  const t = await startTestHerald({ slack, database: database.asTestDatabase(), env: { LOG_LEVEL: 'silent' } });
  try {
    await fanOut.prepare(t, destinations);
    slack.setPostRateLimit(POST_LIMIT);
    const since = slack.messages.length;
    // The outbox is left to Herald's own wake-ups (kick after commit, timers for retries); the bench does not settle it.
    return await measureFanOut({
      slack,
      destinations: destinations.channels.length + destinations.users.length,
      submit: () => fanOut.submit(t),
      deliveries: () => deliveriesSince(slack, destinations, since, fanOut.isUpdate),
    });
  } finally {
    await t.stop();
    await slack.close();
  }
}

export async function benchFanOut(sizes: Sizes['fanout'], serverUrl: string | null): Promise<SectionResult> {
  const total = sizes.channels + sizes.dms;
  progress(`3. fan-out: one update to ${sizes.channels} channels and ${sizes.dms} DMs`);
  const floorSlack = await startSlackStub({ postRateLimit: POST_LIMIT });
  const floorMeasure = await floor(floorSlack, addDestinations(floorSlack, sizes)).finally(() => floorSlack.close());
  const limitMs = minimumUnderLimit(new Array(total).fill(1), POST_LIMIT);
  const minimumMs = Math.max(limitMs, floorMeasure.lastDeliveryMs);

  const fanOut = heraldFanOut();
  const rows: Row[] = [{ who: 'floor: WebClient posting all at once', measure: floorMeasure }];
  if (fanOut) {
    const databases: Array<() => Promise<BenchDatabase>> = [...(serverUrl ? [() => createPostgresDatabase(serverUrl)] : []), () => createPgliteDatabase()];
    for (const create of databases) {
      const database = await create();
      try {
        rows.push({ who: `Herald (${database.kind})`, measure: await runOn(database, sizes, fanOut) });
      } finally {
        await database.drop();
      }
    }
  } else {
    rows.push({ who: 'Herald', measure: null });
  }
  const cell = (m: FanOutMeasure | null, f: (m: FanOutMeasure) => string) => (m ? f(m) : 'not available yet');
  const markdown = [
    `One update to ${total} destinations (${sizes.channels} stakeholder channels, ${sizes.dms} people by DM), with the stand-in enforcing chat.postMessage's ` +
      `limit per channel (a token bucket: ${POST_LIMIT.perChannelPerSecond}/s, bursts of ${POST_LIMIT.burst}; Slack's workspace-wide limit is not modelled). ` +
      `One message per destination is within every destination's burst, so the limit allows ${fmt(limitMs, 0)} ms of waiting; the minimum is then the floor, ` +
      `the same ${total} messages posted at once by a WebClient configured as Herald's: **${fmt(minimumMs, 0)} ms**. ` +
      `Herald's run goes through its Slack surface (stakeholder lists, a declared incident, \`/incident update\`) and its outbox's own wake-ups; ` +
      `the clock starts when the update modal is submitted. Herald also posts to the incident channel and the announcement thread, not counted here.`,
    '',
    table(
      ['', 'last delivery (ms)', 'vs minimum', 'delivered', 'duplicates', '429s received'],
      rows.map((r) => [
        r.who,
        cell(r.measure, (m) => fmt(m.lastDeliveryMs, 0)),
        cell(r.measure, (m) => `${(m.lastDeliveryMs / minimumMs).toFixed(2)}×`),
        cell(r.measure, (m) => `${m.delivered} / ${total}`),
        cell(r.measure, (m) => String(m.duplicates)),
        cell(r.measure, (m) => String(m.rateLimited)),
      ]),
    ),
  ].join('\n');
  const goals: Goal[] = rows.slice(1).map((r) => ({
    goal: `fan-out within 10% of the minimum, no 429 left unhandled — ${r.who}`,
    measured: r.measure ? `${fmt(r.measure.lastDeliveryMs, 0)} ms vs ${fmt(minimumMs, 0)} ms minimum; ${r.measure.rateLimited} 429s, ${total - r.measure.delivered} undelivered, ${r.measure.duplicates} duplicates` : 'not available yet',
    met: r.measure ? r.measure.lastDeliveryMs <= minimumMs * 1.1 && r.measure.delivered === total && r.measure.duplicates === 0 : null,
    note: r.measure ? undefined : 'status updates (issue 5) are not on this branch; the section runs once `update` and `stakeholders` are ready in the help',
  }));
  return { title: '3. Fan-out', markdown, goals };
}
