import type { ChangeDeps } from '../../src/incidents/changes';
import { changeStatus } from '../../src/incidents/changes';
import { DECLARE_BLOCKS } from '../../src/slack/ids';
import type { StubMessage } from '../../src/sandbox/slack/types';
import { waitFor, type TestHerald } from './harness';

export interface DeclaredIncident {
  id: number;
  number: number;
  channelId: string;
  declaredAt: Date;
}

/** Declares an incident through the modal, as a person would, and waits for its channel. */
export async function declareIncident(
  t: TestHerald,
  options: { title?: string; severity?: string; commander?: string; summary?: string; serviceIds?: number[]; user?: string } = {},
): Promise<DeclaredIncident> {
  const user = options.user ?? 'U1';
  const before = t.slack.openedViews().length;
  await t.command(`declare ${options.title ?? 'Checkout is down'}`, { user });
  await waitFor(() => t.slack.openedViews().length > before, 'the declare modal');
  const opened = [...t.slack.views.values()].at(-1)!;
  await t.submitView(
    { ...opened.view, id: opened.id, hash: opened.hash },
    {
      [DECLARE_BLOCKS.severity]: options.severity ?? 'SEV1',
      [DECLARE_BLOCKS.summary]: options.summary ?? 'Card payments fail with 502',
      [DECLARE_BLOCKS.commander]: options.commander ?? user,
      ...(options.serviceIds ? { [DECLARE_BLOCKS.services]: options.serviceIds.map(String) } : {}),
    },
    { user },
  );
  await t.settle();
  const row = await waitFor(
    () => t.db.selectFrom('incidents').selectAll().where('declare_key', '=', opened.id).where('channel_id', 'is not', null).executeTakeFirst(),
    'the incident channel',
  );
  return { id: row.id, number: row.number, channelId: row.channel_id!, declaredAt: row.declared_at };
}

export const changeDeps = (t: TestHerald): ChangeDeps => ({ db: t.db, hooks: t.herald.hooks });

export async function setStatus(t: TestHerald, incidentId: number, status: 'investigating' | 'identified' | 'monitoring' | 'resolved', at = new Date(), actorId = 'U1') {
  const outcome = await changeStatus(changeDeps(t), { incidentId, actorId, status }, at);
  await t.settle();
  return outcome;
}

/** Messages the bot sent to this person by DM. */
export function dmsTo(t: TestHerald, userId: string): StubMessage[] {
  const dm = [...t.slack.channels.values()].find((c) => c.is_im && c.user === userId);
  return dm ? t.slack.messagesIn(dm.id) : [];
}

export const textOf = (m: { text?: string; blocks?: unknown[] }) => `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;

/** The modal Herald opened (or pushed) most recently, ready to be submitted. */
export function latestView(t: TestHerald): any {
  const opened = [...t.slack.views.values()].at(-1)!;
  return { ...opened.view, id: opened.id, hash: opened.hash };
}

/** Runs `work` and waits for it to make Herald open a modal; returns that modal. */
export async function modalOpenedBy(t: TestHerald, work: () => Promise<unknown>): Promise<any> {
  const before = t.slack.views.size;
  await work();
  await waitFor(() => t.slack.views.size > before, 'a modal');
  return latestView(t);
}

export const block = (view: { blocks: any[] }, blockId: string) => view.blocks.find((b: any) => b.block_id === blockId);

/** One scheduler tick at `at` on this replica, then delivery of what that tick queued. */
export async function tickAt(t: TestHerald, at: Date): Promise<void> {
  await t.herald.scheduler.tick(at);
  await t.herald.dispatcher.runDue(at);
}

/** Clicks a button and waits for Herald's answer to it (on the response_url). */
export async function clickAndWaitForAnswer(t: TestHerald, actionId: string, value: string, options: Parameters<TestHerald['clickButton']>[2]): Promise<any> {
  const before = t.slack.responses.length;
  const res = await t.clickButton(actionId, value, options);
  if (res.status !== 200) throw new Error(`The click was answered ${res.status}`);
  await waitFor(() => t.slack.responses.length > before, 'the answer to the click');
  return t.slack.responses.at(-1)!.body;
}
