/**
 * What people do again and again in the comms scenarios — declare, save stakeholders, post an update —
 * driven through Herald's Slack surface like the person would.
 */
import { DECLARE_BLOCKS, STAKEHOLDER_BLOCKS, UPDATE_BLOCKS } from '../../src/slack/ids';
import type { TestHerald } from './harness';
import { waitFor } from './harness';
import type { SignedResponse } from './slackRequests';
import type { StubChannel, StubMessage } from './slackStub';

/** Does `open` (a command or a click) and returns the modal Herald opened because of it. */
export async function modalOpenedBy(t: TestHerald, open: () => Promise<SignedResponse>, what = 'the modal') {
  const before = t.slack.openedViews().length;
  const res = await open();
  expect(res.status).toBe(200);
  await waitFor(() => t.slack.openedViews().length > before, what);
  const opened = [...t.slack.views.values()].at(-1)!;
  return { res, view: { ...opened.view, id: opened.id, hash: opened.hash } };
}

export const blockOf = (view: any, blockId: string) => view.blocks.find((b: any) => b.block_id === blockId);

export interface Declared {
  id: number;
  number: number;
  channel: StubChannel;
}

/** Declares through the modal and lets setup finish; returns the incident and its channel. */
export async function declare(t: TestHerald, title: string, answers: Record<string, unknown> = {}, user = 'U1'): Promise<Declared> {
  const { view } = await modalOpenedBy(t, () => t.command(`declare ${title}`, { user }), 'the declare modal');
  const res = await t.submitView(view, { [DECLARE_BLOCKS.severity]: 'SEV1', ...answers }, { user });
  expect(res.json?.response_action).toBeUndefined();
  await t.settle();
  const row = await t.db.selectFrom('incidents').select(['id', 'number', 'channel_id']).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return { id: row.id, number: row.number, channel: t.slack.channels.get(row.channel_id!)! };
}

/** `/incident stakeholders <service>` and save the form with `answers` (by block id). */
export async function saveStakeholders(t: TestHerald, service: string, answers: { owner?: string | null; channels?: string[]; people?: string[] }, user = 'U1') {
  const { view } = await modalOpenedBy(t, () => t.command(`stakeholders ${service}`, { user }), 'the stakeholders modal');
  const res = await t.submitView(
    view,
    {
      ...(answers.owner !== undefined ? { [STAKEHOLDER_BLOCKS.owner]: answers.owner } : {}),
      ...(answers.channels ? { [STAKEHOLDER_BLOCKS.channels]: answers.channels } : {}),
      ...(answers.people ? { [STAKEHOLDER_BLOCKS.people]: answers.people } : {}),
    },
    { user },
  );
  return { view, res };
}

/** The id of a service by name, as offered in the declare modal. */
export async function serviceId(t: TestHerald, name: string): Promise<string> {
  const row = await t.db.selectFrom('services').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return String(row.id);
}

export const UPDATE_TEXT = { impact: 'Card payments fail for about 1 in 5 customers', actions: 'Rolling back the 09:40 release' };

/** `/incident update` in the incident channel, then submit the modal. */
export async function postUpdate(t: TestHerald, incident: Declared, answers: Record<string, unknown> = {}, user = 'U1') {
  const { view } = await modalOpenedBy(t, () => t.command('update', { user, channel: incident.channel.id }), 'the update modal');
  const res = await t.submitView(view, { [UPDATE_BLOCKS.impact]: UPDATE_TEXT.impact, [UPDATE_BLOCKS.actions]: UPDATE_TEXT.actions, ...answers }, { user });
  return { view, res };
}

/** Messages that are status updates (the header every update carries). */
export function updatesIn(t: TestHerald, channel: string): StubMessage[] {
  return t.slack.messagesIn(channel).filter((m) => JSON.stringify(m.blocks ?? []).includes('Update on incident'));
}

/** Every status update Herald posted, keyed by where it landed ("C…", "D…", "C…/thread"). */
export function updateDeliveries(t: TestHerald): string[] {
  return t.slack.messages
    .filter((m) => JSON.stringify(m.blocks ?? []).includes('Update on incident'))
    .map((m) => (m.thread_ts ? `${m.channel}/thread` : m.channel))
    .sort();
}

/** The DM channel the stand-in made for a person (after Herald wrote to them). */
export function dmOf(t: TestHerald, user: string): string | undefined {
  for (const c of t.slack.channels.values()) if (c.is_im && c.user === user) return c.id;
  return undefined;
}

export function dmsTo(t: TestHerald, user: string): StubMessage[] {
  const dm = dmOf(t, user);
  return dm ? t.slack.messagesIn(dm) : [];
}

/** Waits until no delivery is left pending (retries included). */
export async function waitForOutboxEmpty(t: TestHerald, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    async () => {
      await t.settle();
      const pending = await t.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      return pending.length === 0;
    },
    'every delivery to be sent',
    timeoutMs,
  );
}
