import type { WebClient } from '@slack/web-api';
import { retryUntilStopped, StartupProblem, urlForLogs, type WaitOptions } from '../startup/retry';
import type { BotIdentity } from './app';
import { toExternalCallError } from './slackErrors';

const SLACK_API = 'https://slack.com/api/';

/** The Web API's address as a log line shows it, naming the variable that sets it. */
function apiWhere(apiUrl: string | undefined): string {
  return apiUrl ? `SLACK_API_URL=${urlForLogs(apiUrl)}` : `${SLACK_API} (SLACK_API_URL unset)`;
}

/** The network's own word for a failed request (ECONNREFUSED, ENOTFOUND …), else Slack's error code. */
function reasonOf(err: unknown): string {
  // fetch fails with "fetch failed" and puts what happened in its cause.
  const cause = (err as { original?: { cause?: { code?: unknown; message?: unknown } } } | null)?.original?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  return toExternalCallError(err).code;
}

/**
 * Looks up the bot's identity once, so no request pays for an auth.test call. Slack being unreachable
 * (the network, a proxy, Slack itself) is retried until it answers or Herald is stopped, one line per
 * try naming SLACK_API_URL. A token Slack refuses, or an address that is not Slack's Web API, stops
 * start-up with a line naming the variable to fix.
 */
export async function resolveBotIdentity(client: WebClient, apiUrl: string | undefined, options: WaitOptions): Promise<BotIdentity> {
  const where = apiWhere(apiUrl);
  try {
    const result = await retryUntilStopped(
      {
        run: () => client.auth.test(),
        temporaryProblem: (err) => {
          const failure = toExternalCallError(err);
          if (!failure.retryable) return null;
          return `Could not reach Slack to look up the bot at ${where} (${reasonOf(err)}): check the network, a proxy, or SLACK_API_URL`;
        },
        retryAfterMs: (err) => toExternalCallError(err).retryAfterMs,
      },
      options,
    );
    return { botUserId: result.user_id!, botId: result.bot_id!, teamId: result.team_id! };
  } catch (err) {
    if (err instanceof Error && err.name === 'StartupStopped') throw err;
    const code = toExternalCallError(err).code;
    // An HTTP error (404, 405 …) instead of Slack's JSON answer: that address is not the Web API.
    if (/^http_\d+$/.test(code)) {
      const hint = apiUrl && !/\/api\/?$/.test(new URL(apiUrl).pathname) ? `; the Web API's address ends in /api/, e.g. ${SLACK_API}` : '';
      throw new StartupProblem(`SLACK_API_URL is not Slack's Web API: ${where} answered auth.test with HTTP ${code.slice(5)}${hint}`);
    }
    throw new StartupProblem(`SLACK_BOT_TOKEN was refused by Slack (${code}); check the bot token of the installed app`);
  }
}
