import { performance } from 'node:perf_hooks';
import { DECLARE_BLOCKS as B } from '../../src/slack/ids';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../../test/support/harness';
import { startSlackStub, type SlackStub, type StubCall, type StubChannel } from '../../test/support/slackStub';
import { createPgliteDatabase, createPostgresDatabase, type BenchDatabase } from '../databases';
import type { Sizes } from '../options';
import { progress, table, type Goal, type SectionResult } from '../report';
import { fmt, max, median } from '../stats';

interface Declaration {
  /** Submission sent → Slack had its acknowledgement. */
  ackMs: number;
  /** Submission sent → channel created, both people in it, summary card pinned, announcement posted. */
  readyMs: number;
  /** Submission sent → the declarer's DM with the channel link (the last setup step). */
  doneMs: number;
  /** Slack API calls from submission to done. */
  calls: StubCall[];
  /** Date.now() when the submission was sent (the calls' clock). */
  submittedAt: number;
}

const COMMANDER = 'U2';

/** Slack's answers over the internet take about this long; the stand-in on loopback answers in a millisecond. */
const SLACK_LATENCY_MS = 150;
/** Every Web API method a declaration may call (its setup, and a retry's look-ups). */
const SETUP_METHODS = [
  'views.open',
  'users.info',
  'conversations.create',
  'conversations.list',
  'conversations.invite',
  'conversations.setTopic',
  'conversations.info',
  'conversations.history',
  'conversations.open',
  'chat.postMessage',
  'chat.getPermalink',
  'pins.add',
  'bookmarks.add',
  'bookmarks.list',
];

/** Every answer of the stand-in comes `ms` late from now on, as over the internet (the call still takes effect on arrival's schedule). */
function slowDown(slack: SlackStub, ms: number): void {
  for (const method of SETUP_METHODS) slack.failNext(method, { delayMs: ms, times: 1e9 });
}

/** The Tier 2 methods (about 20 calls a minute) an incident's setup calls once each. */
const SETUP_TIER_2 = ['conversations.create', 'conversations.setTopic', 'conversations.setPurpose', 'pins.add', 'bookmarks.add'];

/** What the declarer does before the clock starts: `/incident declare`, and the modal opens. */
async function openModal(t: TestHerald, title: string): Promise<any> {
  const before = t.slack.openedViews().length;
  const res = await t.command(`declare ${title}`, { user: 'U1' });
  if (res.status !== 200) throw new Error(`declare answered ${res.status}`);
  await waitFor(() => t.slack.openedViews().length > before, 'the declare modal');
  const opened = [...t.slack.views.values()].at(-1)!;
  return { ...opened.view, id: opened.id, hash: opened.hash };
}

/** Looks at the stand-in every millisecond until setup is visible there, as a person would see it. */
async function declareOnce(t: TestHerald, title: string, serviceId: number, commander = COMMANDER, pickInModal = false): Promise<Declaration> {
  let view = await openModal(t, title);
  const slack = t.slack;
  if (pickInModal) {
    // The declarer picks the commander in the modal (Slack sends the pick at once), then fills in the
    // rest: seconds for a person. The bench waits until Slack answered Herald's look-up, and a round trip more.
    const res = await t.pickUser(view.id, B.commander, commander, { user: 'U1' });
    if (res.status !== 200) throw new Error(`the pick answered ${res.status}`);
    await waitFor(() => slack.calls.some((c) => c.method === 'users.info' && c.args.user === commander && c.status !== 0), 'the pick looked up');
    await new Promise((r) => setTimeout(r, SLACK_LATENCY_MS));
    const stored = slack.views.get(view.id)!;
    view = { ...stored.view, id: stored.id, hash: stored.hash };
  }
  const firstCall = slack.calls.length;
  const started = performance.now();
  const submittedAt = Date.now();
  let ackMs = NaN;
  const submission = t.submitView(view, { [B.severity]: 'SEV1', [B.commander]: commander, [B.services]: [String(serviceId)], [B.summary]: 'Card payments fail' }).then((res) => {
    ackMs = performance.now() - started;
    if (res.status !== 200 || res.text !== '') throw new Error(`the submission answered ${res.status} ${res.text}`);
  });
  let readyMs = NaN;
  let doneMs = NaN;
  const deadline = started + 15_000;
  // Herald runs in this process: looking must cost little, or the bench measures itself. Only this
  // declaration's messages are read, and the cheap conditions first.
  const firstMessage = slack.messages.length;
  const mentioned = (mention: string, where: (channel: string) => boolean) =>
    slack.messages.slice(firstMessage).some((m) => where(m.channel) && JSON.stringify(m.blocks ?? m.text).includes(mention));
  let channel: StubChannel | undefined;
  while (Number.isNaN(doneMs)) {
    if (performance.now() > deadline) throw new Error(`"${title}" was not set up within 15 s`);
    await new Promise((r) => setTimeout(r, 1));
    if (!channel) {
      const created = slack.calls.slice(firstCall).find((c) => c.method === 'conversations.create' && c.ok);
      channel = created ? slack.channelByName(created.args.name) : undefined;
      if (!channel) continue;
    }
    const mention = `<#${channel.id}>`;
    if (Number.isNaN(readyMs)) {
      const invited = channel.members.has('U1') && channel.members.has(commander);
      if (invited && channel.pins.length > 0 && mentioned(mention, (c) => c === ANNOUNCE_CHANNEL)) readyMs = performance.now() - started;
    }
    if (!Number.isNaN(readyMs) && mentioned(mention, (c) => c.startsWith('D'))) doneMs = performance.now() - started;
  }
  await submission;
  // The job is recorded done right after the last call; let that land before the next declaration.
  await t.herald.dispatcher.runDue();
  return { ackMs, readyMs, doneMs, calls: slack.calls.slice(firstCall), submittedAt };
}

interface Column {
  database: BenchDatabase['kind'];
  declarations: Declaration[];
  /** Declarations with every Slack answer SLACK_LATENCY_MS late. */
  slow: Declaration[];
  /** The same, each with a commander not looked up before, picked in the modal before the submission. */
  newCommander: Declaration[];
  /** The same, each with a commander not looked up before and not picked in the modal (the submission checks them). */
  unchecked: Declaration[];
}

/** Round trips to Slack that a span of time amounts to, at SLACK_LATENCY_MS each. */
const roundTrips = (ms: number) => ms / SLACK_LATENCY_MS;

/**
 * How many Slack answers Herald waited for one after another before the incident was ready, whatever
 * the machine's load: calls made before ready, grouped into waves (a call sent at least most of a round
 * trip after the wave's first one starts the next wave, as it must have waited for an answer).
 */
function answersInARow(d: Declaration): number {
  const readyAt = d.submittedAt + d.readyMs;
  const sent = d.calls.filter((c) => c.at + SLACK_LATENCY_MS <= readyAt + 1).map((c) => c.at).sort((a, b) => a - b);
  let waves = 0;
  let waveStart = -Infinity;
  for (const at of sent) {
    if (at >= waveStart + SLACK_LATENCY_MS * 0.9) {
      waves += 1;
      waveStart = at;
    }
  }
  return waves;
}

async function runOn(database: BenchDatabase, slack: SlackStub, count: number, slowCount: number): Promise<Column> {
  const t = await startTestHerald({ slack, database: database.asTestDatabase() });
  try {
    const [service] = await t.db
      .insertInto('services')
      .values({ team_id: slack.teamId, name: 'Payments API', name_key: 'payments api' })
      .returning('id')
      .execute();
    await declareOnce(t, 'Warm up', service.id);
    const declarations: Declaration[] = [];
    for (let i = 1; i <= count; i += 1) declarations.push(await declareOnce(t, `Checkout is down ${i}`, service.id));
    // Then the same over a slow Slack: what counts there is how many answers Herald waits for in a row.
    slowDown(slack, SLACK_LATENCY_MS);
    const slow: Declaration[] = [];
    for (let i = 1; i <= slowCount; i += 1) slow.push(await declareOnce(t, `Checkout is slow ${i}`, service.id));
    // A commander Herald has not checked lately (whether the account is a person), picked in the modal:
    // looked up at the pick, so the submission does not wait for that answer.
    const newCommander: Declaration[] = [];
    for (let i = 1; i <= Math.ceil(slowCount / 3); i += 1) {
      const user = `UNEW${database.kind === 'PGlite' ? 'L' : 'P'}${i}`;
      slack.addUser({ id: user, name: `new-${user.toLowerCase()}` });
      newCommander.push(await declareOnce(t, `Checkout is slow, new commander ${i}`, service.id, user, true));
    }
    // The same commander never looked up (e.g. set without the pick reaching Herald): the submission's own check costs a round trip.
    const unchecked: Declaration[] = [];
    for (let i = 1; i <= Math.ceil(slowCount / 3); i += 1) {
      const user = `UUNC${database.kind === 'PGlite' ? 'L' : 'P'}${i}`;
      slack.addUser({ id: user, name: `unchecked-${user.toLowerCase()}` });
      unchecked.push(await declareOnce(t, `Checkout is slow, unchecked commander ${i}`, service.id, user));
    }
    return { database: database.kind, declarations, slow, newCommander, unchecked };
  } finally {
    await t.stop();
  }
}

/** When each call of one declaration arrived at the stand-in, relative to the submission: shows what ran side by side. */
function callTimeline(d: Declaration): string {
  return [...d.calls.map((c) => `${c.method} +${c.at - d.submittedAt}`), `ready +${Math.round(d.readyMs)}`].join(', ');
}

export async function benchDeclare(sizes: Sizes['declare'], serverUrl: string | null): Promise<SectionResult> {
  const columns: Column[] = [];
  const databases: Array<() => Promise<BenchDatabase>> = [...(serverUrl ? [() => createPostgresDatabase(serverUrl)] : []), () => createPgliteDatabase()];
  for (const create of databases) {
    const database = await create();
    // Back to back, the bench declares far more incidents a minute than Slack's Tier 2 allows channel
    // creations, topics, pins and bookmarks (about 20 each); it times Herald's own path, so it lifts those
    // budgets. (The storm itself is tested in test/scenarios/rateLimitStorm.test.ts.)
    const slack = await startSlackStub({ methodRateLimits: { unlimited: SETUP_TIER_2 } });
    progress(`2. declare to ready: ${sizes.declarations} declarations on ${database.kind}`);
    try {
      columns.push(await runOn(database, slack, sizes.declarations, sizes.slowDeclarations));
    } finally {
      await slack.close();
      await database.drop();
    }
  }

  const stat = (values: number[]) => `${fmt(median(values))} / ${fmt(max(values))}`;
  const rows = [
    ['submission acknowledged (ms)', ...columns.map((c) => stat(c.declarations.map((d) => d.ackMs)))],
    ['**ready**: channel, people invited, card pinned, announcement posted (ms)', ...columns.map((c) => stat(c.declarations.map((d) => d.readyMs)))],
    ['all set up: topic, bookmark, the declarer told (ms)', ...columns.map((c) => stat(c.declarations.map((d) => d.doneMs)))],
    ['Slack calls per declaration', ...columns.map((c) => stat(c.declarations.map((d) => d.calls.length)))],
    [`**ready** with every Slack answer ${SLACK_LATENCY_MS} ms late (round trips)`, ...columns.map((c) => stat(c.slow.map((d) => roundTrips(d.readyMs))))],
    [`Slack answers waited for one after another before ready (load-independent; floor 3)`, ...columns.map((c) => stat(c.slow.map(answersInARow)))],
    [`all set up with every Slack answer ${SLACK_LATENCY_MS} ms late (round trips)`, ...columns.map((c) => stat(c.slow.map((d) => roundTrips(d.doneMs))))],
    [`ready with every answer ${SLACK_LATENCY_MS} ms late, a commander not checked before, picked in the modal (round trips)`, ...columns.map((c) => stat(c.newCommander.map((d) => roundTrips(d.readyMs))))],
    [`the same, the commander's pick not seen by Herald (the submission looks them up; round trips)`, ...columns.map((c) => stat(c.unchecked.map((d) => roundTrips(d.readyMs))))],
  ];
  const typicalOf = (ds: Declaration[]) => [...ds].sort((a, b) => a.readyMs - b.readyMs)[Math.floor(ds.length / 2)];
  const typical = (c: Column) => typicalOf(c.declarations);
  const markdown = [
    `Herald in the bench process against the Slack stand-in (also in the process, over HTTP on loopback), one declaration at a time, each after a warm-up declaration. ` +
      `The clock starts when the modal submission is sent; the stand-in is looked at every millisecond. Figures are median / max over ${sizes.declarations} declarations.`,
    '',
    table(['', ...columns.map((c) => c.database)], rows),
    '',
    'Calls of the median declaration, with when each reached the stand-in (ms after the submission was sent); calls starting at the same time ran side by side:',
    '',
    ...columns.map((c) => `- ${c.database}: ${callTimeline(typical(c))}`),
    '',
    `With every Slack answer ${SLACK_LATENCY_MS} ms late (${columns[0]?.slow.length ?? 0} declarations, after the others): a round trip is ${SLACK_LATENCY_MS} ms, ` +
      'and the floor is 3 — create the channel, post the card, pin it. The commander (not the declarer) was checked with users.info in an earlier declaration; ' +
      'that answer is trusted for 5 minutes. A commander not checked lately is looked up when picked in the modal (the users select dispatches the pick), ' +
      'before the submission; only when Herald never saw the pick does the submission look them up, one round trip before the acknowledgement (last row). The median declaration\'s calls:',
    '',
    ...columns.map((c) => `- ${c.database}: ${callTimeline(typicalOf(c.slow))}`),
  ].join('\n');
  const goals: Goal[] = columns.map((c) => {
    const ready = median(c.declarations.map((d) => d.readyMs));
    return { goal: `declare to ready < 300 ms median — ${c.database}`, measured: `${fmt(ready)} ms (max ${fmt(max(c.declarations.map((d) => d.readyMs)))} ms)`, met: ready < 300 };
  });
  for (const c of columns) {
    const trips = median(c.newCommander.map((d) => roundTrips(d.readyMs)));
    goals.push({
      goal: `declare to ready within 3.5 Slack round trips at ${SLACK_LATENCY_MS} ms, a new commander picked in the modal — ${c.database}`,
      measured: `${fmt(trips, 2)} round trips (max ${fmt(max(c.newCommander.map((d) => roundTrips(d.readyMs))), 2)})`,
      met: trips <= 3.5,
      note: 'the commander is looked up when picked, so the submission uses that answer',
    });
  }
  for (const c of columns) {
    const trips = median(c.slow.map((d) => roundTrips(d.readyMs)));
    goals.push({
      goal: `declare to ready within 3.5 Slack round trips at ${SLACK_LATENCY_MS} ms — ${c.database}`,
      measured: `${fmt(trips, 2)} round trips (max ${fmt(max(c.slow.map((d) => roundTrips(d.readyMs))), 2)})`,
      met: trips <= 3.5,
      note: `the floor is 3: create → post the card → pin; Herald waited for ${fmt(median(c.slow.map(answersInARow)), 0)} answers in a row, the rest is its own time on this machine`,
    });
  }
  return { title: '2. Declare to ready', markdown, goals };
}
