import { NOT_FOR_YOU } from '../../src/slack/commands/doctor';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { validateMessageBlocks } from '../support/slackStub';

/** What `/incident doctor` may call: who is asking, then reads. */
const READING = new Set(['auth.test', 'conversations.info', 'users.info']);

describe('/incident doctor', () => {
  let t: TestHerald;
  beforeEach(async () => {
    t = await startTestHerald();
    t.slack.addUser({ id: 'U9', name: 'olga', is_admin: true });
    t.slack.addUser({ id: 'U8', name: 'owen', is_owner: true });
    // The first start in a file opens and migrates the embedded database: slow on a busy machine.
  }, 90_000);
  afterEach(async () => {
    await t?.stop();
  });

  const answerTo = async (user: string) => {
    t.slack.reset();
    const ack = await t.command('doctor', { user });
    expect(ack.status).toBe(200);
    const [answer] = await waitFor(() => (t.slack.responses.length > 0 ? t.slack.responses : null), 'the doctor’s answer', 15_000);
    return { ack, answer: answer!.body };
  };

  it('answers a workspace admin, only to them, with each problem and its fix, and changes nothing', async () => {
    const archived = t.slack.addChannel({ id: 'COLDSTAKE', name: 'old-stakeholders', members: [t.slack.botUserId] });
    archived.is_archived = true;
    await t.herald.db.insertInto('services').values({ team_id: t.slack.teamId, name: 'Payments API', name_key: 'payments api' }).execute();
    const { id } = await t.herald.db.selectFrom('services').select('id').executeTakeFirstOrThrow();
    await t.herald.db.insertInto('service_stakeholders').values({ service_id: id, kind: 'channel', target_id: 'COLDSTAKE' }).execute();

    const { ack, answer } = await answerTo('U9');

    expect(ack.json?.response_type).not.toBe('in_channel');
    expect(answer.response_type).toBe('ephemeral');
    expect(validateMessageBlocks(answer.blocks)).toEqual([]);
    const shown = JSON.stringify(answer.blocks);
    expect(answer.text).toContain('1 problem found');
    expect(shown).toContain('<#COLDSTAKE> (the stakeholder list of Payments API) is archived.');
    expect(shown).toContain('Unarchive <#COLDSTAKE>');
    expect(shown).toContain('<#CANNOUNCE> (ANNOUNCE_CHANNEL): Herald is in it');
    expect(shown).toContain('answers and is up to date');
    expect(t.slack.calls.map((c) => c.method).filter((m) => !READING.has(m))).toEqual([]);
    expect(t.slack.messages).toEqual([]);
  });

  it('shows a service’s name as typed, never as a mention', async () => {
    await t.herald.db.insertInto('services').values({ team_id: t.slack.teamId, name: 'Pay <!channel>', name_key: 'pay <!channel>' }).execute();
    const { id } = await t.herald.db.selectFrom('services').select('id').executeTakeFirstOrThrow();
    await t.herald.db.insertInto('service_stakeholders').values({ service_id: id, kind: 'channel', target_id: 'CANNOUNCE' }).execute();
    const { answer } = await answerTo('U9');
    const shown = JSON.stringify(answer.blocks);
    expect(shown).toContain('the stakeholder list of Pay &lt;!channel&gt;');
    expect(shown).not.toContain('<!channel>');
  });

  it('answers a workspace owner that all is well on a healthy setup', async () => {
    const { answer } = await answerTo('U8');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('All is well');
  });

  it('kindly refuses anyone else, ephemerally, without checking anything', async () => {
    const { answer } = await answerTo('U1');
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: NOT_FOR_YOU });
    expect(answer.text).toContain('npm run doctor');
    expect(t.slack.callsTo('conversations.info')).toEqual([]);
    expect(t.slack.callsTo('auth.test')).toEqual([]);
  });
});
