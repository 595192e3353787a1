/** A sandbox stopped and started again on the same DATA_DIR carries on where it was. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/start';
import { DECLARE_ACTIONS, DECLARE_BLOCKS } from '../../src/slack/ids';
import { waitFor } from '../support/harness';

jest.setTimeout(240_000);

const dataDir = mkdtempSync(join(tmpdir(), 'herald-sandbox-'));
const env = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
let sandbox: Sandbox | undefined;
afterAll(async () => {
  await sandbox?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const amara = 'U01AMARA';
const incidentChannel = (s: Sandbox) => s.stub.channelByName('inc-1-checkout-is-down');

it('keeps the incident, its channel, the fast-forwarded clock and the pretend workspace across a restart', async () => {
  sandbox = await startSandbox(env);
  const first = sandbox;
  await first.controls.side.command(amara, 'CGENERAL', 'declare Checkout is down');
  const modal = await waitFor(() => [...first.stub.views.values()].find((v) => v.view.type === 'modal'), 'the declare modal', 60_000);
  await first.controls.side.submit(amara, modal.id, {
    [DECLARE_BLOCKS.title]: { [DECLARE_ACTIONS.title]: { type: 'plain_text_input', value: 'Checkout is down' } },
    [DECLARE_BLOCKS.severity]: { [DECLARE_ACTIONS.severity]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'SEV2' }, value: 'SEV2' } } },
    [DECLARE_BLOCKS.commander]: { [DECLARE_ACTIONS.commander]: { type: 'users_select', selected_user: amara } },
  });
  expect(first.controls.side.viewErrors.get(modal.id)?.errors).toBeUndefined();
  const channel = await waitFor(() => incidentChannel(first), 'the incident channel', 60_000);
  await waitFor(() => channel.pins.length > 0, 'the pinned card', 60_000);
  await first.controls.fastForward(10 * 60_000);
  await first.stop();
  sandbox = undefined;

  sandbox = await startSandbox(env);
  const again = incidentChannel(sandbox);
  expect(again?.id).toBe(channel.id);
  expect(again?.pins).toEqual(channel.pins);
  expect(sandbox.stub.messagesIn(channel.id).some((m) => /Checkout is down/.test(m.text ?? ''))).toBe(true);
  expect(sandbox.controls.clock.offsetMs).toBe(10 * 60_000);
  // Herald still knows the incident, in its channel.
  await sandbox.controls.side.command(amara, channel.id, 'status identified');
  await waitFor(() => sandbox!.stub.messagesIn(channel.id).some((m) => m.edited && /identified/i.test(m.text ?? '')), 'the card edited to identified', 60_000);
});
