import { anyOf, COMING_SOON_ACTIONS } from '../../src/slack/actions';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';

describe('A card button whose flow is not built yet', () => {
  let t: TestHerald;
  beforeAll(async () => {
    t = await startTestHerald();
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each(COMING_SOON_ACTIONS.map((id) => [id]))('tells whoever clicks %s that it is coming, only them', async (actionId) => {
    const before = t.slack.responses.length;
    const res = await t.clickButton(actionId, '1', { user: 'U2', channel: 'CGENERAL', messageTs: '1700000000.000100' });
    expect(res.status).toBe(200);
    const answer = await waitFor(() => t.slack.responses.slice(before).find((r) => /coming soon/.test(r.body.text)), 'the answer');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });
});

describe('anyOf, which lets one Bolt listener serve several action ids', () => {
  it('matches exactly the ids given, with their special characters taken literally', () => {
    const pattern = anyOf(['card_resolve', 'a.b+c']);
    expect(['card_resolve', 'a.b+c'].every((id) => pattern.test(id))).toBe(true);
    expect(['card_resolve_2', 'xcard_resolve', 'aXb+c', 'a.bbc', ''].some((id) => pattern.test(id))).toBe(false);
  });
});
