import { DECLARE_BLOCKS as B } from '../../src/slack/ids';
import { startTestHerald, waitFor, type StartOptions, type TestHerald } from './harness';
import { declareIncident } from './journeys';

export interface RunningIncident {
  id: number;
  number: number;
  channel: string;
  cardTs: string;
  announcementTs: string | null;
}

/** Declares an incident (SEV3 unless answered otherwise) as `user`, lets setup finish, and says where it lives. */
export async function runningIncident(t: TestHerald, title = 'Checkout is down', answers: Record<string, unknown> = {}, user = 'U1'): Promise<RunningIncident> {
  const before = await t.db.selectFrom('incidents').select('id').orderBy('id', 'desc').executeTakeFirst();
  await declareIncident(t, title, { [B.severity]: 'SEV3', ...answers }, user);
  // On a loaded machine the submission's commit can land after the first settle: wait for setup to finish.
  const row = await waitFor(async () => {
    await t.settle();
    const latest = await t.db.selectFrom('incidents').selectAll().orderBy('id', 'desc').executeTakeFirst();
    const setUp = latest && latest.id !== before?.id && latest.card_ts && latest.provision_done.includes('notify');
    return setUp ? latest : null;
  }, 'the incident to be set up');
  return { id: row.id, number: row.number, channel: row.channel_id!, cardTs: row.card_ts!, announcementTs: row.announcement_ts };
}

/**
 * A fresh Herald with one running incident whose channel has the declarer (U1) and a responder, U2.
 * No review is required here (REVIEW_DUE off), so closing is about who may close; the review's part
 * in closing is told in the review scenarios.
 */
export async function startWithIncident(options: StartOptions = {}): Promise<{ t: TestHerald; incident: RunningIncident }> {
  const t = await startTestHerald({ ...options, env: { REVIEW_DUE: 'SEV1=off,SEV2=off,SEV3=off,SEV4=off', ...options.env } });
  const incident = await runningIncident(t);
  setMember(t, incident, 'U2');
  return { t, incident };
}

export const incidentRow = (t: TestHerald, id: number) => t.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** Runs `/incident <text>` in the incident's channel and lets Herald finish the Slack side. */
export async function inChannel(t: TestHerald, incident: RunningIncident, text: string, user = 'U1') {
  const res = await t.command(text, { channel: incident.channel, user });
  await t.settle();
  return res;
}

/** The pinned summary card as it is now. */
export function cardOf(t: TestHerald, incident: RunningIncident) {
  return t.slack.messagesIn(incident.channel).find((m) => m.ts === incident.cardTs)!;
}

/** Herald's posts in the incident channel other than the card, as text. */
export function notesIn(t: TestHerald, incident: RunningIncident): string[] {
  return t.slack.messagesIn(incident.channel).filter((m) => m.ts !== incident.cardTs && m.user === t.slack.botUserId).map((m) => m.text ?? '');
}

/** Replies under the incident's announcement. */
export function announcementThread(t: TestHerald, incident: RunningIncident): string[] {
  return t.slack.messages.filter((m) => incident.announcementTs && m.thread_ts === incident.announcementTs).map((m) => m.text ?? '');
}

export const timelineKinds = async (t: TestHerald, id: number) =>
  (await t.db.selectFrom('timeline_events').select('kind').where('incident_id', '=', id).orderBy('id').execute()).map((r) => r.kind);

/** Puts a user in (or takes them out of) the incident channel, as joining or leaving in Slack would. */
export function setMember(t: TestHerald, incident: RunningIncident, user: string, member = true): void {
  const members = t.slack.channels.get(incident.channel)!.members;
  if (member) members.add(user);
  else members.delete(user);
}

/** Opens a card button's modal as `user` and returns it as Slack would hand it back on submission. */
export async function openFromCard(t: TestHerald, incident: RunningIncident, actionId: string, user = 'U1') {
  const before = t.slack.openedViews().length;
  const res = await t.clickButton(actionId, String(incident.id), { user, channel: incident.channel, messageTs: incident.cardTs });
  if (res.status !== 200) throw new Error(`the click answered ${res.status}`);
  await waitFor(() => t.slack.openedViews().length > before, 'the modal');
  const opened = [...t.slack.views.values()].at(-1)!;
  return { ...opened.view, id: opened.id, hash: opened.hash };
}
