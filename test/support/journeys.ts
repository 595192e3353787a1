import { DECLARE_BLOCKS as B } from '../../src/slack/ids';
import { waitFor, type TestHerald } from './harness';

/** Runs `/incident declare <title>` and returns the modal Herald opened, as Slack would hand it back. */
export async function openDeclareModal(t: TestHerald, title: string, user = 'U1') {
  const before = t.slack.openedViews().length;
  const res = await t.command(`declare ${title}`, { user });
  if (res.status !== 200) throw new Error(`declare answered ${res.status}`);
  await waitFor(() => t.slack.openedViews().length > before, 'the declare modal');
  const opened = [...t.slack.views.values()].at(-1)!;
  return { res, view: { ...opened.view, id: opened.id, hash: opened.hash } };
}

/** Declares an incident through the modal (SEV1 unless answered otherwise) and lets setup finish. */
export async function declareIncident(t: TestHerald, title: string, answers: Record<string, unknown> = {}, user = 'U1') {
  const { view } = await openDeclareModal(t, title, user);
  const res = await t.submitView(view, { [B.severity]: 'SEV1', ...answers }, { user });
  await t.settle();
  return { view, res };
}
