import { findManifest, readManifestExpectations, type ManifestExpectations } from '../../doctor/manifest';
import { doctorMessage } from '../blocks/doctor';
import { channelMention, escapeMrkdwn } from '../blocks/text';
import type { SlackDeps } from '../deps';
import { runSetupCheck } from '../setupCheck';
import { errorCodeOf, slackCall } from '../slackErrors';
import type { CommandHandler } from './types';

export const NOT_FOR_YOU =
  'The setup check is for whoever looks after Herald, so `/incident doctor` answers workspace admins and owners only. ' +
  'If something seems wrong, ask one of them — or whoever runs Herald can run `npm run doctor` beside it.';

let manifest: ManifestExpectations | null | undefined;
function expectations(): ManifestExpectations | null {
  if (manifest === undefined) {
    const path = findManifest();
    manifest = path ? readManifestExpectations(path) : null;
  }
  return manifest;
}

/**
 * Whoever set Herald up. Slack does not tell a bot who installed it (a single-workspace token carries
 * no installer), and in most workspaces installing an app needs an admin's approval anyway: so the
 * workspace's admins and owners, as users.info says, are the ones the doctor answers.
 */
async function looksAfterHerald(deps: SlackDeps, userId: string): Promise<boolean> {
  const { user } = await slackCall(() => deps.client.users.info({ user: userId }));
  return Boolean(user?.is_admin || user?.is_owner);
}

/** `/incident doctor`: the installation checked, only the asker sees it. Nothing is changed. */
export const runDoctor: CommandHandler = async ({ command, ack, respond, deps }) => {
  // Slack's three seconds are not enough for a dozen calls: acknowledge, then answer by response_url.
  await ack();
  let allowed: boolean;
  try {
    allowed = await looksAfterHerald(deps, command.user_id);
  } catch (err) {
    await respond({ response_type: 'ephemeral', text: `Herald could not check who you are (Slack answered ${errorCodeOf(err)}): try again in a minute.` });
    return;
  }
  if (!allowed) {
    await respond({ response_type: 'ephemeral', text: NOT_FOR_YOU });
    return;
  }
  const { useCases } = deps;
  const findings = await runSetupCheck({
    client: deps.client,
    config: deps.config,
    manifest: expectations(),
    database: { check: useCases.checkDatabase, stakeholderChannels: useCases.listStakeholderChannels, refusals: useCases.countOutboxRefusals },
    channelLabel: (id) => channelMention(id),
    quote: escapeMrkdwn,
    clock: deps.clock,
  });
  await respond({ response_type: 'ephemeral', ...doctorMessage(findings) });
};
