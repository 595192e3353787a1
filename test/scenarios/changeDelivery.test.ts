import { sql } from 'kysely';
import { DECLARE_BLOCKS } from '../../src/slack/ids';
import { ANNOUNCE_CHANNEL, startTestHerald, type TestHerald } from '../support/harness';
import { declareIncident } from '../support/journeys';
import { announcementThread, cardOf, inChannel, incidentRow, notesIn, runningIncident, setMember, type RunningIncident } from '../support/running';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Carrying a change to Slack', () => {
  let t: TestHerald;
  beforeEach(async () => {
    // No review is required here: these stories are about the change's own posts.
    t = await startTestHerald({ env: { REVIEW_DUE: 'SEV1=off,SEV2=off,SEV3=off,SEV4=off' } });
  });
  afterEach(async () => {
    await t.stop();
  });

  const changeJobs = (t: TestHerald) => t.db.selectFrom('outbox').selectAll().where('kind', '=', 'incident_changed').orderBy('id').execute();

  it('never announces a private incident: not a raise, not resolving, not closing', async () => {
    const incident = await runningIncident(t, 'Leaked key', { [DECLARE_BLOCKS.options]: ['private'] });
    expect(incident.announcementTs).toBeNull();
    await inChannel(t, incident, 'sev 1');
    await inChannel(t, incident, 'resolve');
    await inChannel(t, incident, 'close');
    expect(t.slack.messagesIn(ANNOUNCE_CHANNEL)).toHaveLength(0);
    expect(JSON.stringify(cardOf(t, incident).blocks)).toContain('🔒');
    expect(notesIn(t, incident)).toHaveLength(3);
    expect(t.slack.channels.get(incident.channel)!.is_private).toBe(true);
  });

  it('a rate-limited note is posted once when Slack lets it, and the steps already done are not done again', async () => {
    const incident = await runningIncident(t);
    const cardUpdates = () => t.slack.okCallsTo('chat.update').filter((c) => c.args.ts === incident.cardTs).length;
    t.slack.failNext('chat.postMessage', { retryAfter: 1 });
    await inChannel(t, incident, 'sev 1');
    expect(notesIn(t, incident)).toEqual([]);
    expect(cardUpdates()).toBe(1);
    const [pending] = await changeJobs(t);
    expect(pending).toMatchObject({ status: 'pending', last_error: 'ratelimited' });

    await pause(1100);
    await t.settle();
    expect(notesIn(t, incident)).toEqual([expect.stringContaining('raised the severity')]);
    expect(announcementThread(t, incident)).toHaveLength(1);
    expect(cardUpdates()).toBe(1);
    expect((await changeJobs(t))[0].status).toBe('done');
  });

  it('a post whose answer was lost is found by its marker instead of being posted twice', async () => {
    const incident = await runningIncident(t);
    await inChannel(t, incident, 'resolve');
    expect(notesIn(t, incident)).toHaveLength(1);
    expect(announcementThread(t, incident)).toHaveLength(1);

    // As if Herald crashed after Slack took both posts but before it recorded them.
    const [job] = await changeJobs(t);
    await t.db.updateTable('outbox_steps').set({ state: 'started', ts: null }).where('job_id', '=', job.id).where('step', 'in', ['note', 'thread']).execute();
    await t.db.updateTable('outbox').set({ status: 'pending', done_at: null, next_attempt_at: new Date(0) }).where('id', '=', job.id).execute();
    await t.settle();

    expect(notesIn(t, incident)).toHaveLength(1);
    expect(announcementThread(t, incident)).toHaveLength(1);
    expect(t.slack.okCallsTo('conversations.history').length).toBeGreaterThan(0);
    expect(t.slack.okCallsTo('conversations.replies').length).toBeGreaterThan(0);
    const steps = await t.db.selectFrom('outbox_steps').selectAll().where('job_id', '=', job.id).where('step', '=', 'note').executeTakeFirstOrThrow();
    expect(steps).toMatchObject({ state: 'done', ts: t.slack.messagesIn(incident.channel).at(-1)!.ts });
  });

  it('a post started but never received by Slack is posted on the retry', async () => {
    const incident = await runningIncident(t);
    t.slack.failNext('chat.postMessage', { status: 500 });
    await inChannel(t, incident, 'status identified');
    expect(notesIn(t, incident)).toEqual([]);
    await pause(1100);
    await t.settle();
    expect(notesIn(t, incident)).toEqual([expect.stringContaining('Identified')]);
  });

  it('a step Slack refuses for good is noted on the timeline and the others still happen', async () => {
    const incident = await runningIncident(t);
    t.slack.channels.get(ANNOUNCE_CHANNEL)!.is_private = true;
    t.slack.channels.get(ANNOUNCE_CHANNEL)!.members.delete(t.slack.botUserId);
    await inChannel(t, incident, 'sev 1');
    expect((await changeJobs(t))[0].status).toBe('done');
    expect(notesIn(t, incident)).toHaveLength(1);
    expect(JSON.stringify(cardOf(t, incident).blocks)).toContain('SEV1');
    const problems = await t.db.selectFrom('timeline_events').select('text').where('kind', '=', 'slack_problem').execute();
    expect(problems.map((p) => p.text).sort()).toEqual([
      'Herald could not post the change under the announcement: Slack answered "channel_not_found"',
      'Herald could not update the announcement: Slack answered "channel_not_found"',
    ]);
  });

  it('a change made while the channel is still being set up waits for the setup, so the card is not drawn over', async () => {
    t.slack.failNext('chat.postMessage', { retryAfter: 1, times: 2 });
    await declareIncident(t, 'Slow setup', { [DECLARE_BLOCKS.severity]: 'SEV3' });
    const row = await t.db.selectFrom('incidents').selectAll().executeTakeFirstOrThrow();
    expect(row.card_ts).toBeNull();
    const res = await t.command('sev 1', { channel: row.channel_id! });
    expect(res.json.text).toContain('SEV1');
    await t.settle();
    expect((await changeJobs(t))[0]).toMatchObject({ status: 'pending', last_error: 'setup_in_progress' });

    await pause(2200);
    await t.settle();
    const incident: RunningIncident = { id: row.id, number: 1, channel: row.channel_id!, cardTs: (await incidentRow(t, row.id)).card_ts!, announcementTs: (await incidentRow(t, row.id)).announcement_ts };
    expect(JSON.stringify(cardOf(t, incident).blocks)).toContain('SEV1');
    expect(notesIn(t, incident)).toEqual([expect.stringContaining('raised the severity')]);
    expect(t.slack.channels.get(incident.channel)!.topic).toContain('SEV1');
  });

  it('two quick changes end with the card showing both, whichever job draws last', async () => {
    const incident = await runningIncident(t);
    setMember(t, incident, 'U2');
    await Promise.all([t.command('sev 2', { channel: incident.channel }), t.command('status identified', { channel: incident.channel, user: 'U2' })]);
    await t.settle();
    const card = JSON.stringify(cardOf(t, incident).blocks);
    expect(card).toContain('SEV2');
    expect(card).toContain('Identified');
    expect(t.slack.channels.get(incident.channel)!.topic).toContain('SEV2 · Identified');
    expect(notesIn(t, incident)).toHaveLength(2);
    expect(await incidentRow(t, incident.id)).toMatchObject({ severity: 'SEV2', status: 'identified' });
  });

  it('keeps the step records of a job with the job', async () => {
    const incident = await runningIncident(t);
    await inChannel(t, incident, 'sev 4');
    const [job] = await changeJobs(t);
    const steps = await t.db.selectFrom('outbox_steps').select(['step', 'state']).where('job_id', '=', job.id).orderBy('step').execute();
    expect(steps).toEqual(
      ['announcement', 'card', 'note', 'topic'].map((step) => ({ step, state: 'done' })),
    );
    await sql`delete from outbox where id = ${job.id}`.execute(t.db);
    expect(await t.db.selectFrom('outbox_steps').selectAll().where('job_id', '=', job.id).execute()).toEqual([]);
  });
});
