import type { WebClient } from '@slack/web-api';
import type { Person, PersonDirectory } from '../reviews/ports';
import type { SlackDeps } from './deps';
import { slackCall } from './slackErrors';

/** How long the check may take; past it the choice goes ahead unchecked. */
const USER_CHECK_DEADLINE_MS = 800;

/**
 * Why this user cannot take a role (`as` names it: "the commander"), or null when they can: Herald
 * itself, another bot and a deactivated account cannot.
 */
export async function personProblem(deps: SlackDeps, userId: string, as: string): Promise<string | null> {
  return problemWithPerson(deps, userId, await lookupPersonWithin(deps, userId), as);
}

/** The same judgement for a person already looked up (null: Slack did not say in time). */
export function problemWithPerson(deps: SlackDeps, userId: string, person: Person | null, as: string): string | null {
  if (userId === deps.botUserId) return `Herald cannot be ${as} — choose a person.`;
  if (person?.isBot) return `That is a bot — choose a person as ${as}.`;
  if (person?.deleted) return 'That account is deactivated — choose someone else.';
  return null;
}

/** users.info within the request's budget; null when Slack does not answer in time or at all. */
export async function lookupPersonWithin(deps: SlackDeps, userId: string): Promise<Person | null> {
  if (userId === deps.botUserId) return { tz: null, offsetSeconds: 0, isBot: true, deleted: false };
  const timer = new Promise<null>((resolve) => setTimeout(resolve, USER_CHECK_DEADLINE_MS, null).unref());
  return Promise.race([createPersonDirectory(deps.client).lookup(userId).catch(() => null), timer]);
}

/** People as Slack's users.info describes them: time zone, and whether they can own work at all. */
export function createPersonDirectory(client: WebClient): PersonDirectory {
  return {
    async lookup(userId) {
      const { user } = await slackCall(() => client.users.info({ user: userId }));
      return {
        tz: user?.tz ?? null,
        offsetSeconds: user?.tz_offset ?? 0,
        isBot: Boolean(user?.is_bot) || userId === 'USLACKBOT',
        deleted: Boolean(user?.deleted),
      };
    },
  };
}

