/** Setup problems (`<step>:<Slack error code>`) in words a declarer can act on. One place for all of them. */

const STEP_WORDS: Record<string, string> = {
  channel: 'create the incident channel',
  invite: 'invite you and the commander to the channel',
  topic: 'set the channel topic',
  card: 'post the summary card',
  pin: 'pin the summary card',
  announce: 'post the announcement',
  bookmark: 'bookmark the announcement in the channel',
  source: 'reply in the thread of the message you declared it from',
  notify: 'message you',
  setup: 'finish setting up the incident',
};

const CODE_WORDS: Record<string, string> = {
  not_in_channel: 'Herald is not a member of that channel — invite @Herald to it',
  channel_not_found: 'the channel does not exist, or it is private and Herald is not in it — invite @Herald to it',
  is_archived: 'the channel is archived',
  restricted_action: 'a workspace setting does not allow it',
  missing_scope: 'the app lacks a permission — reinstall it from manifest.yml',
  name_taken: 'every channel name Herald tried is taken',
  ratelimited: 'Slack kept rate-limiting Herald',
  request_failed: 'Slack could not be reached',
  user_not_found: 'one of the people could not be found',
  user_disabled: 'that account is deactivated',
  cannot_dm_bot: 'that is a bot',
  too_long: 'the text was too long',
  already_pinned: 'it was already pinned',
  not_pinnable: 'Slack does not allow pinning it',
};

/** A Slack error code in words a person can act on. */
export function describeSlackError(code: string): string {
  return CODE_WORDS[code] ?? `Slack answered "${code}"`;
}

export function describeProblem(problem: string): string {
  const [step, code = 'unknown_error'] = problem.split(':');
  return `Herald could not ${STEP_WORDS[step] ?? step}: ${describeSlackError(code)}.`;
}

/** What a setup finding is about, for the sentence that tells an admin what to do. */
export interface SetupContext {
  /** The channel, already written for the reader (`<#C123>` in Slack, `#name (C123)` in a terminal). */
  channel?: string;
  /** The setting that names it (ANNOUNCE_CHANNEL, or "the stakeholders of Payments API"). */
  setting?: string;
  /** The scope Slack said was needed. */
  scope?: string;
}

export const APP_PAGE = 'api.slack.com/apps → Herald';
const REINSTALL = `reinstall the app (${APP_PAGE} → Install App → Reinstall to Workspace) so Slack grants`;

/**
 * Every Slack error code Herald can meet while being set up, as the one sentence a Slack admin can act
 * on. The doctor says these; so may anything else that reports a setup problem to an admin.
 */
const SETUP_FIXES: Record<string, (c: SetupContext) => string> = {
  invalid_auth: () => `Slack does not recognise SLACK_BOT_TOKEN: copy the Bot User OAuth Token (xoxb-…) again from ${APP_PAGE} → OAuth & Permissions.`,
  token_revoked: () => `SLACK_BOT_TOKEN was revoked (the app was uninstalled or the token regenerated): reinstall the app from ${APP_PAGE} and set the new Bot User OAuth Token (xoxb-…).`,
  account_inactive: () => `SLACK_BOT_TOKEN belongs to a deactivated bot or an uninstalled app: reinstall the app from ${APP_PAGE} and set the new Bot User OAuth Token (xoxb-…).`,
  not_allowed_token_type: () =>
    `SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…) from ${APP_PAGE} → OAuth & Permissions, not a user token (xoxp-) or an app-level token (xapp-, which goes in SLACK_APP_TOKEN).`,
  missing_scope: (c) => {
    const several = (c.scope ?? '').includes(',');
    const what = c.scope ? `the scope${several ? 's' : ''} ${c.scope}` : 'the missing scope';
    return `Add ${what} under ${APP_PAGE} → OAuth & Permissions → Bot Token Scopes (or paste manifest.yml into App Manifest), then ${REINSTALL}${several ? ' them' : ' it'}.`;
  },
  not_in_channel: (c) => `Invite Herald to ${c.channel ?? 'the channel'}: type \`/invite @Herald\` there.`,
  channel_not_found: (c) =>
    `Check ${c.setting ?? 'the channel ID'}: ${c.channel ?? 'the channel'} does not exist, or it is private and Herald is not in it — copy the ID from the channel's details (at the bottom of About) and, for a private channel, \`/invite @Herald\` there.`,
  is_archived: (c) => `Unarchive ${c.channel ?? 'the channel'}, or change ${c.setting ?? 'the setting that names it'} to a channel in use.`,
  restricted_action: (c) =>
    `A workspace or channel setting stops Herald posting in ${c.channel ?? 'the channel'} (posting restricted to some members, or apps not allowed): a workspace admin can allow it in the channel's settings or under Settings & Permissions.`,
  messages_tab_disabled: () =>
    `Turn on ${APP_PAGE} → App Home → Messages Tab, with "Allow users to send Slash commands and messages from the messages tab": Slack refuses Herald's DMs (prompts, reminders, updates) without it.`,
  ratelimited: () => 'Slack rate-limited the check: run it again in a minute.',
  request_failed: () => 'Slack could not be reached: check the network and SLACK_API_URL (unset means slack.com).',
};

/** The sentence an admin can act on for a Slack error met during setup. */
export function setupFix(code: string, context: SetupContext = {}): string {
  const fix = SETUP_FIXES[code];
  return fix ? fix(context) : `Slack answered "${code}" — see https://api.slack.com/methods for what it means, then run the check again.`;
}

export const SETUP_CODES = Object.keys(SETUP_FIXES);
