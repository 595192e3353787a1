import type { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import { configurationFindings } from '../doctor/configuration';
import { UNREACHABLE_FIX, type DoctorDatabase } from '../doctor/database';
import { fine, note, problem, type Area, type Finding } from '../doctor/findings';
import type { ManifestExpectations } from '../doctor/manifest';
import { APP_PAGE, SETUP_CODES, setupFix } from './problemWords';
import { slackCall, toExternalCallError } from './slackErrors';

/**
 * The setup doctor's look at Slack, and the whole check put together. It only reads: auth.test for the
 * token (its `x-oauth-scopes` answer header lists the scopes granted), conversations.info per channel
 * Herald posts to, and the database through `DoctorDatabase`. No join, no post, no change.
 */
export interface SetupCheckDeps {
  client: WebClient;
  config: Config;
  /** manifest.yml's expectations; null when it could not be found beside Herald. */
  manifest: ManifestExpectations | null;
  database: DoctorDatabase;
  /** A channel written for the reader: `<#C123>` in Slack, `#name (C123)` in a terminal. */
  channelLabel: (id: string, name?: string) => string;
  /** People's text (service names) made safe for where the report is shown; as is by default. */
  quote?: (text: string) => string;
  clock: () => Date;
}

/** conversations.info is Tier 3 (50+ a minute): past this many channels the rest are named, not checked. */
const MAX_CHANNELS = 40;
const CHANNEL_CONCURRENCY = 4;

interface TokenCheck {
  teamId: string | null;
  /** The scopes Slack reported in `x-oauth-scopes`; null when it said nothing. */
  scopes: string[] | null;
  findings: Finding[];
}

/** A channel Herald posts to, and which settings make it do so. */
interface ChannelUse {
  id: string;
  settings: string[];
}

function codeOf(err: unknown): { code: string; needed?: string } {
  const needed = (err as { data?: { needed?: unknown } })?.data?.needed;
  return { code: toExternalCallError(err).code, ...(typeof needed === 'string' ? { needed } : {}) };
}

async function checkToken({ client, config }: SetupCheckDeps): Promise<TokenCheck> {
  const findings: Finding[] = [];
  const userToken = config.slack.botToken.startsWith('xoxp-');
  if (userToken) findings.push(problem('Slack token', 'SLACK_BOT_TOKEN is a user token (xoxp-…): Herald would act as that person.', setupFix('not_allowed_token_type')));
  try {
    const who = await slackCall(() => client.auth.test());
    if (!who.bot_id && !userToken) {
      findings.push(problem('Slack token', `SLACK_BOT_TOKEN belongs to a person (${who.user ?? who.user_id}), not to a bot.`, setupFix('not_allowed_token_type')));
    } else if (who.bot_id) {
      findings.push(fine('Slack token', `SLACK_BOT_TOKEN is the bot token of @${who.user ?? who.user_id} in ${who.team ?? 'the workspace'} (${who.team_id}).`));
    }
    return { teamId: who.team_id ?? null, scopes: who.response_metadata?.scopes ?? null, findings };
  } catch (err) {
    const { code } = codeOf(err);
    findings.push(problem('Slack token', `Slack refused SLACK_BOT_TOKEN (${code}).`, setupFix(code)));
    return { teamId: null, scopes: null, findings };
  }
}

function checkScopes(manifest: ManifestExpectations | null, token: TokenCheck): Finding[] {
  const granted = token.scopes;
  if (!token.teamId) return [note('Scopes', 'Scopes were not checked, since Slack refused the token.')];
  if (!manifest) return [note('Scopes', 'manifest.yml was not found beside Herald, so the granted scopes were not compared with it.', 'Run the doctor from Herald’s folder (or the image’s /app).')];
  if (!granted) return [note('Scopes', 'Slack did not say which scopes the token holds (no x-oauth-scopes header; a proxy in SLACK_API_URL may drop it).')];
  const have = new Set(granted);
  const missing = manifest.botScopes.filter((s) => !have.has(s));
  const unused = granted.filter((s) => !manifest.botScopes.includes(s));
  const findings: Finding[] = [];
  if (missing.length > 0) {
    findings.push(problem('Scopes', `The token lacks ${missing.join(', ')}, which manifest.yml asks for.`, setupFix('missing_scope', { scope: missing.join(', ') })));
  } else {
    findings.push(fine('Scopes', `The token holds every scope manifest.yml asks for (${manifest.botScopes.length}).`));
  }
  if (unused.length > 0) findings.push(note('Scopes', `It also holds ${unused.join(', ')}, which Herald does not use.`, 'Remove them under OAuth & Permissions and reinstall, to keep to the least privilege.'));
  return findings;
}

async function checkChannel(deps: SetupCheckDeps, use: ChannelUse, granted: Set<string>): Promise<Finding> {
  const setting = use.settings.join('; ');
  let info;
  try {
    info = (await slackCall(() => deps.client.conversations.info({ channel: use.id }))).channel;
  } catch (err) {
    const { code, needed } = codeOf(err);
    const channel = deps.channelLabel(use.id);
    return problem('Channels', `${channel} (${setting}): Slack answered ${code}.`, setupFix(code, { channel, setting, scope: needed }));
  }
  const channel = deps.channelLabel(use.id, info?.name);
  if (info?.is_archived) return problem('Channels', `${channel} (${setting}) is archived.`, setupFix('is_archived', { channel, setting }));
  if (!info?.is_member) {
    // chat:write.public lets Herald post in a public channel it is not in; reading it back does not.
    const consequence = granted.has('chat:write.public') && !info?.is_private
      ? 'it can post there, but when an answer from Slack is lost it cannot look for the post it made, so a retried message may appear twice'
      : 'it cannot post there';
    return problem('Channels', `Herald is not in ${channel} (${setting}): ${consequence}.`, setupFix('not_in_channel', { channel }));
  }
  return fine('Channels', `${channel} (${setting}): Herald is in it, can post there and read it back on a retry.`);
}

async function channelUses(deps: SetupCheckDeps, teamId: string): Promise<{ uses: ChannelUse[]; findings: Finding[] }> {
  const uses = new Map<string, string[]>();
  const add = (id: string, setting: string) => uses.set(id, [...(uses.get(id) ?? []), setting]);
  const { config } = deps;
  const quote = deps.quote ?? ((text: string) => text);
  if (config.announceChannel) add(config.announceChannel, 'ANNOUNCE_CHANNEL');
  if (config.digest.channel) add(config.digest.channel, 'DIGEST_CHANNEL');
  if (config.signals.alertsChannel) add(config.signals.alertsChannel, 'ALERTS_CHANNEL');
  const findings: Finding[] = [];
  try {
    for (const { channelId, services } of await deps.database.stakeholderChannels(teamId)) add(channelId, `the stakeholder list of ${services.map(quote).join(', ')}`);
  } catch {
    findings.push(note('Channels', 'The stakeholder channels could not be read from the database, so they were not checked.'));
  }
  return { uses: [...uses].map(([id, settings]) => ({ id, settings })), findings };
}

async function checkChannels(deps: SetupCheckDeps, token: TokenCheck): Promise<Finding[]> {
  if (!token.teamId) return [note('Channels', 'Channels were not checked, since Slack refused the token.')];
  const { uses, findings } = await channelUses(deps, token.teamId);
  if (uses.length === 0) return [...findings, note('Channels', 'No channel to check: no ANNOUNCE_CHANNEL, DIGEST_CHANNEL, ALERTS_CHANNEL or stakeholder channel is set.')];
  const checked = uses.slice(0, MAX_CHANNELS);
  const granted = new Set(token.scopes ?? []);
  const results: Finding[] = new Array(checked.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < checked.length; i = next++) results[i] = await checkChannel(deps, checked[i]!, granted);
  };
  await Promise.all(Array.from({ length: Math.min(CHANNEL_CONCURRENCY, checked.length) }, worker));
  const skipped = uses.slice(MAX_CHANNELS).map((u) => deps.channelLabel(u.id));
  if (skipped.length > 0) findings.push(note('Channels', `${skipped.length} more channels were not checked, to stay inside Slack's rate limit: ${skipped.join(', ')}.`, 'Run the check again later for them.'));
  return [...results, ...findings];
}

function appHome(manifest: ManifestExpectations | null): Finding {
  const wanted = manifest && !(manifest.tabs.home && manifest.tabs.messages) ? ' (manifest.yml here does not turn both on)' : '';
  return note(
    'App Home',
    `Slack does not tell a bot token whether the Home and Messages tabs are on, so this was not checked${wanted}.`,
    `Look at ${APP_PAGE} → App Home: Home Tab on, Messages Tab on, and "Allow users to send Slash commands and messages from the messages tab" ticked.`,
  );
}

const AREA_OF_CODE: Record<string, Area> = {
  messages_tab_disabled: 'App Home',
  missing_scope: 'Scopes',
  invalid_auth: 'Slack token',
  token_revoked: 'Slack token',
  account_inactive: 'Slack token',
  not_allowed_token_type: 'Slack token',
};

/** Deliveries Slack refused for a setup reason, read from the outbox: evidence the checks above cannot see. */
async function refusalFindings(database: DoctorDatabase): Promise<Finding[]> {
  const counts = await database.refusals().catch(() => ({}) as Record<string, number>);
  const byCode = new Map<string, number>();
  for (const [error, count] of Object.entries(counts)) {
    const code = error.split(':').pop()!;
    if (SETUP_CODES.includes(code) && !['ratelimited', 'request_failed'].includes(code)) byCode.set(code, (byCode.get(code) ?? 0) + count);
  }
  return [...byCode].map(([code, count]) =>
    problem(AREA_OF_CODE[code] ?? 'Channels', `Slack refused ${count} of Herald's messages (still waiting, or given up) with ${code}.`, setupFix(code)),
  );
}

/** The whole check: token, scopes, channels, App Home, database, configuration. */
export async function runSetupCheck(deps: SetupCheckDeps): Promise<Finding[]> {
  const token = await checkToken(deps);
  const database = await deps.database.check().catch(() => [problem('Database', 'The database does not answer.', UNREACHABLE_FIX)]);
  const [channels, refusals] = await Promise.all([checkChannels(deps, token), refusalFindings(deps.database)]);
  return [
    ...token.findings,
    ...checkScopes(deps.manifest, token),
    ...channels,
    appHome(deps.manifest),
    ...refusals,
    ...database,
    ...configurationFindings(deps.config, deps.clock()),
  ];
}
