import { TIMELINE_ACTIONS, TIMELINE_BLOCKS as B } from '../../src/slack/ids';
import { waitFor, type TestHerald } from '../support/harness';
import { inChannel, setMember, startWithIncident, type RunningIncident } from '../support/running';

const editButtons = (blocks: any[]) => blocks.filter((b) => b.accessory?.action_id === TIMELINE_ACTIONS.edit).map((b) => ({ id: Number(b.accessory.value), text: b.text.text as string }));

/**
 * A timeline people can correct: the commander and scribe fix a note's or a pinned message's time and
 * text; each correction is on the timeline with what it was; what Herald recorded itself is never edited.
 */
describe('Correcting the timeline', () => {
  let t: TestHerald;
  let incident: RunningIncident;
  beforeEach(async () => {
    ({ t, incident } = await startWithIncident());
    setMember(t, incident, 'U3');
    await inChannel(t, incident, 'note Rolled back the 09:40 release');
    // U2 pins a message with 📌: Herald reads it and puts it on the timeline.
    const message = t.slack.addMessage({ channel: incident.channel, user: 'U2', text: 'Error rate is back to normal' });
    await t.event({ type: 'reaction_added', user: 'U2', reaction: 'pushpin', item_user: 'U2', item: { type: 'message', channel: incident.channel, ts: message.ts } });
    await waitFor(async () => {
      await t.settle();
      return (await entries()).some((e) => e.kind === 'pinned');
    }, 'the pinned message on the timeline');
  });
  afterEach(() => t.stop());

  const entries = () => t.db.selectFrom('timeline_events').selectAll().where('incident_id', '=', incident.id).orderBy('id').execute();
  const timelineFor = async (user: string) => (await t.command('timeline', { channel: incident.channel, user })).json;
  async function openCorrection(eventId: number, user = 'U1') {
    const before = t.slack.openedViews().length;
    const answers = t.slack.responses.length;
    const res = await t.clickButton(TIMELINE_ACTIONS.edit, String(eventId), { user, channel: incident.channel });
    expect(res.status).toBe(200);
    await waitFor(() => t.slack.openedViews().length > before || t.slack.responses.length > answers, 'the form or an answer');
    const opened = [...t.slack.views.values()].at(-1);
    return opened && t.slack.openedViews().length > before ? { ...opened.view, id: opened.id, hash: opened.hash } : null;
  }
  const lastResponse = () => t.slack.responses.at(-1)?.body.text as string;

  it('offers Edit beside notes and pinned messages to the commander, and to nobody else who is not the scribe', async () => {
    const forCommander = editButtons((await timelineFor('U1')).blocks);
    expect(forCommander.map((b) => b.text)).toEqual([expect.stringContaining('Rolled back the 09:40 release'), expect.stringContaining('Error rate is back to normal')]);
    expect(editButtons((await timelineFor('U2')).blocks)).toEqual([]);

    await inChannel(t, incident, 'role scribe <@U3>');
    expect(editButtons((await timelineFor('U3')).blocks)).toHaveLength(2);
  });

  it('corrects time and text, and records who corrected it and what it read before', async () => {
    const note = (await entries()).find((e) => e.kind === 'note')!;
    const view = (await openCorrection(note.id))!;
    expect(view.blocks.find((b: any) => b.block_id === B.text).element.initial_value).toBe('Rolled back the 09:40 release');
    expect(view.blocks.find((b: any) => b.block_id === B.at).element.initial_date_time).toBe(Math.floor(note.at.getTime() / 1000));

    // A datetimepicker chooses whole seconds.
    const correctedAt = new Date(Math.floor(note.at.getTime() / 1000) * 1000 - 10 * 60_000);
    const res = await t.submitView(view, { [B.text]: 'Rolled back the 09:30 release', [B.at]: Math.floor(correctedAt.getTime() / 1000) });
    expect(res.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(res.json.view)).toContain('is corrected');

    const after = await entries();
    expect(after.find((e) => e.id === note.id)).toMatchObject({ text: 'Rolled back the 09:30 release', at: correctedAt });
    const correction = after.find((e) => e.kind === 'corrected')!;
    expect(correction).toMatchObject({ actor_id: 'U1', text: 'Rolled back the 09:40 release' });
    expect(correction.data).toMatchObject({ eventId: note.id, before: { text: 'Rolled back the 09:40 release', at: note.at.toISOString() } });

    const shown = JSON.stringify((await timelineFor('U2')).blocks);
    expect(shown).toContain('Rolled back the 09:30 release');
    expect(shown).toContain('<@U1> corrected an entry; it read “Rolled back the 09:40 release”');
    // The correction is Herald's own record: no Edit button beside it.
    expect(editButtons((await timelineFor('U1')).blocks)).toHaveLength(2);
  });

  it('the scribe corrects a pinned message', async () => {
    await inChannel(t, incident, 'role scribe <@U3>');
    const pinned = (await entries()).find((e) => e.kind === 'pinned')!;
    const view = (await openCorrection(pinned.id, 'U3'))!;
    const res = await t.submitView(view, { [B.text]: 'Error rate back to normal at 10:20', [B.at]: Math.floor(pinned.at.getTime() / 1000) }, { user: 'U3' });
    expect(res.json.response_action).toBe('update');
    expect((await entries()).find((e) => e.id === pinned.id)!.text).toBe('Error rate back to normal at 10:20');
  });

  it('keeps a bad correction in the form, under its field, and changes nothing', async () => {
    const note = (await entries()).find((e) => e.kind === 'note')!;
    const view = (await openCorrection(note.id))!;
    const empty = await t.submitView(view, { [B.text]: '   ', [B.at]: Math.floor(note.at.getTime() / 1000) });
    expect(empty.json).toEqual({ response_action: 'errors', errors: { [B.text]: 'Write what the entry should say.' } });
    const future = await t.submitView(view, { [B.text]: 'Later', [B.at]: Math.floor(Date.now() / 1000) + 3600 });
    expect(future.json).toEqual({ response_action: 'errors', errors: { [B.at]: 'A timeline entry cannot be in the future.' } });
    expect((await entries()).find((e) => e.id === note.id)!.text).toBe('Rolled back the 09:40 release');
    expect((await entries()).some((e) => e.kind === 'corrected')).toBe(false);
  });

  it('refuses someone who is neither commander nor scribe, and any automatic entry, even from a crafted click', async () => {
    const note = (await entries()).find((e) => e.kind === 'note')!;
    expect(await openCorrection(note.id, 'U2')).toBeNull();
    expect(lastResponse()).toMatch(/Only the commander \(<@U1>\) or a scribe can correct the timeline/);

    const declared = (await entries()).find((e) => e.kind === 'declared')!;
    expect(await openCorrection(declared.id)).toBeNull();
    expect(lastResponse()).toMatch(/Only notes and pinned messages can be corrected/);
  });
});
