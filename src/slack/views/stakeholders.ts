import { z } from 'zod';
import { MAX_STAKEHOLDERS, stakeholdersSavedView, type StakeholdersMetadata } from '../blocks/stakeholdersModal';
import { userMention } from '../blocks/text';
import type { SlackDeps } from '../deps';
import { STAKEHOLDER_ACTIONS as A, STAKEHOLDER_BLOCKS as B, VIEWS } from '../ids';
import type { SlackRoutes } from '../routes';
import { submitOrShowError } from './submission';
import { fieldErrors, readState, type ViewState } from './values';

/** How long the checks around saving (owner account, Herald's channel memberships) may take. */
const SLACK_CHECK_DEADLINE_MS = 700;

const stakeholdersSchema = z.object({
  name: z.string().min(1),
  ownerId: z.string().regex(/^[UW][A-Z0-9]+$/, 'Choose a person as owner.').nullable(),
  channels: z.array(z.string().regex(/^[CG][A-Z0-9]+$/, 'Choose channels, not direct messages.')).max(MAX_STAKEHOLDERS),
  people: z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'Choose people.')).max(MAX_STAKEHOLDERS),
});

const BLOCK_FOR: Record<string, string> = { ownerId: B.owner, channels: B.channels, people: B.people, name: B.owner };

function within<T>(work: Promise<T>, fallback: T): Promise<T> {
  const timer = new Promise<T>((resolve) => setTimeout(resolve, SLACK_CHECK_DEADLINE_MS, fallback).unref());
  return Promise.race([work.catch(() => fallback), timer]);
}

/** Channels Herald cannot post in yet, so the person can invite it now rather than learn it mid-incident. */
async function channelsHeraldIsNotIn(deps: SlackDeps, channels: string[]): Promise<string[]> {
  const checks = await Promise.all(
    channels.slice(0, 20).map((channel) =>
      within(
        deps.client.conversations.info({ channel }).then((r) => (r.channel?.is_member ? null : channel)),
        null as string | null,
      ).catch(() => channel),
    ),
  );
  return checks.filter((c): c is string => c !== null);
}

/** People on the list who are bots: Slack refuses a bot token's DM to a bot (cannot_dm_bot), so no update could reach them. */
async function botsAmong(deps: SlackDeps, people: string[]): Promise<string[]> {
  const checks = await Promise.all(
    people.map((user) => within(deps.client.users.info({ user }).then((r) => (r.user?.is_bot ? user : null)), null as string | null)),
  );
  return checks.filter((u): u is string => u !== null);
}

export function registerStakeholdersView(routes: SlackRoutes, deps: SlackDeps): void {
  const isActiveUser = (userId: string) =>
    within(
      deps.client.users.info({ user: userId }).then((r) => !r.user?.deleted),
      true,
    );

  routes.submission(VIEWS.stakeholders, async ({ ack, body, view }) => {
    const state = readState(view.state.values as ViewState);
    let metadata: Partial<StakeholdersMetadata> = {};
    try {
      metadata = JSON.parse(view.private_metadata) as StakeholdersMetadata;
    } catch {
      metadata = {};
    }
    const parsed = stakeholdersSchema.safeParse({
      name: metadata.name ?? '',
      ownerId: state.user(B.owner, A.owner),
      channels: state.conversations(B.channels, A.channels),
      people: state.users(B.people, A.people),
    });
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: fieldErrors(parsed.error.issues, BLOCK_FOR) });
      return;
    }
    const input = parsed.data;
    if (input.ownerId === deps.botUserId) {
      await ack({ response_action: 'errors', errors: { [B.owner]: 'Herald cannot own a service — choose a person.' } });
      return;
    }
    if (input.people.includes(deps.botUserId)) {
      await ack({ response_action: 'errors', errors: { [B.people]: 'Herald itself cannot be a stakeholder — remove it from the list.' } });
      return;
    }
    const bots = await botsAmong(deps, input.people);
    if (bots.length > 0) {
      const who = bots.map(userMention).join(', ');
      const what = bots.length === 1 ? 'is a bot: Slack lets Herald send no DM to a bot. Add its channel instead.' : 'are bots: Slack lets Herald send no DM to a bot. Add their channels instead.';
      await ack({ response_action: 'errors', errors: { [B.people]: `${who} ${what}` } });
      return;
    }
    const saved = await submitOrShowError(ack, deps.log, { unavailable: B.owner, rule: B.owner }, () =>
      deps.useCases.saveServiceStakeholders(isActiveUser, { ...input, teamId: body.team?.id ?? view.team_id, actorId: body.user.id }, deps.clock()),
    );
    if (!saved) return;
    const missing = await channelsHeraldIsNotIn(deps, input.channels);
    await ack({ response_action: 'update', view: stakeholdersSavedView(saved, input, missing) });
  });
}
