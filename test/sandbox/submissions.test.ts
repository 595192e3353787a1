/** What Slack does with an app's answer to a modal submission, as the stand-in (and so the sandbox) does it. */
import { WebClient } from '@slack/web-api';
import { startSlackStub, type SlackStub } from '../support/slackStub';

const modal = (title: string) => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [{ type: 'input', block_id: 'name', label: { type: 'plain_text', text: 'Name' }, element: { type: 'plain_text_input', action_id: 'name' } }],
});

let stub: SlackStub;
let client: WebClient;
beforeEach(async () => {
  stub = await startSlackStub();
  client = new WebClient(stub.token, { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 } });
});
afterEach(() => stub.close());

async function open(): Promise<string> {
  const res = await client.views.open({ trigger_id: stub.issueTrigger({ user: 'U1' }), view: modal('First') as any });
  return res.view!.id!;
}

describe('Answering a modal submission', () => {
  it('errors stay on the view under input blocks; an error for a block that is no input is refused', async () => {
    const id = await open();
    expect(stub.answerSubmission(id, { response_action: 'errors', errors: { name: 'Too short' } })).toEqual({ kind: 'errors', errors: { name: 'Too short' } });
    expect(stub.answerSubmission(id, { response_action: 'errors', errors: { other: 'x' } }).kind).toBe('refused');
    expect(stub.views.has(id)).toBe(true);
  });

  it('update replaces the view in place; an empty answer closes it', async () => {
    const id = await open();
    expect(stub.answerSubmission(id, { response_action: 'update', view: modal('Saved') })).toEqual({ kind: 'updated', viewId: id });
    expect(stub.views.get(id)!.view.title.text).toBe('Saved');
    expect(stub.answerSubmission(id, undefined)).toEqual({ kind: 'closed' });
    expect(stub.views.has(id)).toBe(false);
  });

  it('push stacks at most three views, a view Slack would refuse is refused, and clear closes the whole stack', async () => {
    const root = await open();
    const second = stub.answerSubmission(root, { response_action: 'push', view: modal('Second') });
    expect(second.kind).toBe('pushed');
    const secondId = (second as { viewId: string }).viewId;
    const third = stub.answerSubmission(secondId, { response_action: 'push', view: modal('Third') });
    expect(third.kind).toBe('pushed');
    expect(stub.answerSubmission((third as { viewId: string }).viewId, { response_action: 'push', view: modal('Fourth') })).toEqual({ kind: 'refused', problems: ['push_limit_reached'] });
    expect(stub.answerSubmission(secondId, { response_action: 'update', view: modal('A title far over twenty-four characters') }).kind).toBe('refused');
    stub.closeView((third as { viewId: string }).viewId);
    expect(stub.views.has(secondId)).toBe(true);
    expect(stub.answerSubmission(secondId, { response_action: 'clear' })).toEqual({ kind: 'cleared' });
    expect(stub.views.size).toBe(0);
  });
});
