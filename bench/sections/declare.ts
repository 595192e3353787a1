import { performance } from 'node:perf_hooks';
import { DECLARE_BLOCKS as B } from '../../src/slack/ids';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../../test/support/harness';
import { startSlackStub, type SlackStub, type StubCall } from '../../test/support/slackStub';
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
}

const COMMANDER = 'U2';

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
async function declareOnce(t: TestHerald, title: string, serviceId: number): Promise<Declaration> {
  const view = await openModal(t, title);
  const slack = t.slack;
  const firstCall = slack.calls.length;
  const started = performance.now();
  let ackMs = NaN;
  const submission = t.submitView(view, { [B.severity]: 'SEV1', [B.commander]: COMMANDER, [B.services]: [String(serviceId)], [B.summary]: 'Card payments fail' }).then((res) => {
    ackMs = performance.now() - started;
    if (res.status !== 200 || res.text !== '') throw new Error(`the submission answered ${res.status} ${res.text}`);
  });
  let readyMs = NaN;
  let doneMs = NaN;
  const deadline = started + 15_000;
  while (Number.isNaN(doneMs)) {
    if (performance.now() > deadline) throw new Error(`"${title}" was not set up within 15 s`);
    await new Promise((r) => setTimeout(r, 1));
    const created = slack.calls.slice(firstCall).find((c) => c.method === 'conversations.create' && c.ok);
    const channel = created ? slack.channelByName(created.args.name) : undefined;
    if (!channel) continue;
    const mention = `<#${channel.id}>`;
    if (Number.isNaN(readyMs)) {
      const invited = channel.members.has('U1') && channel.members.has(COMMANDER);
      const announced = slack.messagesIn(ANNOUNCE_CHANNEL).some((m) => JSON.stringify(m.blocks ?? m.text).includes(mention));
      if (invited && channel.pins.length > 0 && announced) readyMs = performance.now() - started;
    }
    const told = slack.messages.some((m) => m.channel.startsWith('D') && JSON.stringify(m.blocks ?? m.text).includes(mention));
    if (!Number.isNaN(readyMs) && told) doneMs = performance.now() - started;
  }
  await submission;
  // The job is recorded done right after the last call; let that land before the next declaration.
  await t.herald.dispatcher.runDue();
  return { ackMs, readyMs, doneMs, calls: slack.calls.slice(firstCall) };
}

interface Column {
  database: BenchDatabase['kind'];
  declarations: Declaration[];
}

async function runOn(database: BenchDatabase, slack: SlackStub, count: number): Promise<Column> {
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
    return { database: database.kind, declarations };
  } finally {
    await t.stop();
  }
}

/** When each call of one declaration arrived at the stand-in, relative to the first: shows what ran side by side. */
function callTimeline(d: Declaration): string {
  const first = d.calls[0]?.at ?? 0;
  return d.calls.map((c) => `${c.method} +${c.at - first}`).join(', ');
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
      columns.push(await runOn(database, slack, sizes.declarations));
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
  ];
  const typical = (c: Column) => [...c.declarations].sort((a, b) => a.readyMs - b.readyMs)[Math.floor(c.declarations.length / 2)];
  const markdown = [
    `Herald in the bench process against the Slack stand-in (also in the process, over HTTP on loopback), one declaration at a time, each after a warm-up declaration. ` +
      `The clock starts when the modal submission is sent; the stand-in is looked at every millisecond. Figures are median / max over ${sizes.declarations} declarations.`,
    '',
    table(['', ...columns.map((c) => c.database)], rows),
    '',
    'Calls of the median declaration, with when each reached the stand-in (ms after the first); calls starting at the same time ran side by side:',
    '',
    ...columns.map((c) => `- ${c.database}: ${callTimeline(typical(c))}`),
  ].join('\n');
  const goals: Goal[] = columns.map((c) => {
    const ready = median(c.declarations.map((d) => d.readyMs));
    return { goal: `declare to ready < 300 ms median — ${c.database}`, measured: `${fmt(ready)} ms (max ${fmt(max(c.declarations.map((d) => d.readyMs)))} ms)`, met: ready < 300 };
  });
  return { title: '2. Declare to ready', markdown, goals };
}
