import { closeIncident } from '../../src/incidents/changes';
import { CLOSE_ACTIONS, REVIEW_ACTIONS } from '../../src/slack/ids';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestHerald, type TestHerald } from '../support/harness';
import { changeDeps, clickAndWaitForAnswer, declareIncident, dmsTo, setStatus, textOf, tickAt } from '../support/reviewHelpers';

const REVIEW_DUE = 'SEV1=30s,SEV2=1m,SEV3=10d,SEV4=off';
const DAY = 86_400_000;

const reviewRow = (t: TestHerald, incidentId: number) => t.db.selectFrom('reviews').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
const remindersTo = (t: TestHerald, user: string) => dmsTo(t, user).filter((m) => /post-incident review/.test(m.text ?? '') && /due now|overdue/.test(m.text ?? ''));

describe('Resolving asks for a blameless review, and Herald keeps asking until it is written', () => {
  let database: TestDatabase;
  let t: TestHerald;
  beforeEach(async () => {
    database = await createTestDatabase();
    t = await startTestHerald({ database, env: { REVIEW_DUE } });
  });
  afterEach(async () => {
    await t.stop();
    await database.drop();
  });

  it('asks the commander at once, in the channel and by DM, with a button to start the review', async () => {
    const incident = await declareIncident(t, { commander: 'U2' });
    const resolvedAt = new Date();
    await setStatus(t, incident.id, 'resolved', resolvedAt);

    const review = await reviewRow(t, incident.id);
    expect(review!.due_at!.getTime()).toBe(resolvedAt.getTime() + 30_000);

    const prompt = t.slack.messagesIn(incident.channelId).find((m) => /post-incident review/.test(m.text ?? ''))!;
    expect(textOf(prompt)).toContain('<@U2>');
    expect(prompt.blocks!.flatMap((b: any) => b.elements ?? []).map((e: any) => e.action_id)).toContain(REVIEW_ACTIONS.start);
    expect(textOf(prompt)).toMatch(/blameless/i);

    const [dm] = dmsTo(t, 'U2');
    expect(textOf(dm)).toContain(`<#${incident.channelId}>`);
    expect(textOf(dm)).toContain(REVIEW_ACTIONS.start);

    // Another resolution-time event (a retried job, a second settle) does not ask twice.
    await t.settle();
    expect(dmsTo(t, 'U2')).toHaveLength(1);
  });

  it('asks for nothing when the severity needs no review, and lets the incident close straight away', async () => {
    const incident = await declareIncident(t, { severity: 'SEV4' });
    await setStatus(t, incident.id, 'resolved');
    expect(await reviewRow(t, incident.id)).toBeUndefined();
    expect(t.slack.messagesIn(incident.channelId).some((m) => /post-incident review/.test(m.text ?? ''))).toBe(false);
    const outcome = await closeIncident(changeDeps(t), { incidentId: incident.id, actorId: 'U1', confirmed: false }, new Date());
    expect(outcome).toMatchObject({ changed: true, incident: { status: 'closed' } });
  });

  it('reminds the commander by DM when the review falls due, then daily while overdue — once per period, even with two replicas', async () => {
    const second = await startTestHerald({ slack: t.slack, database, env: { REVIEW_DUE } });
    try {
      const incident = await declareIncident(t, { commander: 'U2' });
      const resolvedAt = new Date();
      await setStatus(t, incident.id, 'resolved', resolvedAt);
      const at = (ms: number) => new Date(resolvedAt.getTime() + ms);

      await tickAt(t, at(10_000));
      expect(remindersTo(t, 'U2')).toHaveLength(0);

      // Both replicas tick at the moment it falls due.
      await Promise.all([tickAt(t, at(31_000)), tickAt(second, at(31_000))]);
      expect(remindersTo(t, 'U2').map((m) => m.text)).toEqual([expect.stringMatching(/is due now/)]);

      await Promise.all([tickAt(t, at(50_000)), tickAt(second, at(90_000))]);
      expect(remindersTo(t, 'U2')).toHaveLength(1);

      await Promise.all([tickAt(t, at(DAY + 31_000)), tickAt(second, at(DAY + 31_000))]);
      await tickAt(second, at(DAY + 3_600_000));
      expect(remindersTo(t, 'U2').map((m) => m.text)).toEqual([expect.stringMatching(/is due now/), expect.stringMatching(/overdue by 1 day$/)]);

      // Replicas down for three days: one reminder on return, not three.
      await tickAt(second, at(5 * DAY + 40_000));
      expect(remindersTo(t, 'U2').map((m) => m.text).at(-1)).toMatch(/overdue by 5 days/);
      expect(remindersTo(t, 'U2')).toHaveLength(3);
      expect(textOf(remindersTo(t, 'U2')[2])).toContain(REVIEW_ACTIONS.start);
    } finally {
      await second.stop();
    }
  });

  it('stops reminding while the incident is reopened, and schedules afresh from the next resolution', async () => {
    const incident = await declareIncident(t, { commander: 'U2' });
    const first = new Date();
    await setStatus(t, incident.id, 'resolved', first);
    await setStatus(t, incident.id, 'investigating', new Date(first.getTime() + 5_000));
    expect((await reviewRow(t, incident.id))!.due_at).toBeNull();

    await tickAt(t, new Date(first.getTime() + 40_000));
    expect(remindersTo(t, 'U2')).toHaveLength(0);

    const second = new Date(first.getTime() + 60_000);
    await setStatus(t, incident.id, 'resolved', second);
    await t.herald.dispatcher.runDue(second);
    expect((await reviewRow(t, incident.id))!.due_at!.getTime()).toBe(second.getTime() + 30_000);
    // Asked again for the new resolution.
    expect(dmsTo(t, 'U2').filter((m) => /is resolved/.test(m.text ?? ''))).toHaveLength(2);

    await tickAt(t, new Date(second.getTime() + 31_000));
    expect(remindersTo(t, 'U2')).toHaveLength(1);
  });

  it('asks to confirm `/incident close` while the review is missing, and stops reminding once closed anyway', async () => {
    const incident = await declareIncident(t);
    const resolvedAt = new Date();
    await t.command('resolve', { channel: incident.channelId });
    await t.settle();

    const attempt = await t.command('close', { channel: incident.channelId });
    expect(attempt.json.text).toContain('the post-incident review');
    const statusOf = async () => (await t.db.selectFrom('incidents').select('status').where('id', '=', incident.id).executeTakeFirstOrThrow()).status;
    expect(await statusOf()).toBe('resolved');

    const closeAnyway = attempt.json.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === CLOSE_ACTIONS.confirm);
    await clickAndWaitForAnswer(t, CLOSE_ACTIONS.confirm, closeAnyway.value, { user: 'U1', channel: incident.channelId });
    expect(await statusOf()).toBe('closed');
    await tickAt(t, new Date(resolvedAt.getTime() + 31_000));
    expect(remindersTo(t, 'U1')).toHaveLength(0);
  });

  it('the domain refuses to close without confirmation while the review is missing', async () => {
    const incident = await declareIncident(t);
    await setStatus(t, incident.id, 'resolved', new Date());
    const attempt = await closeIncident(changeDeps(t), { incidentId: incident.id, actorId: 'U1', confirmed: false }, new Date());
    expect(attempt).toEqual(expect.objectContaining({ needsConfirmation: ['the post-incident review'] }));
  });
});
