import type { WebClient } from '@slack/web-api';
import type { Person, PersonDirectory } from '../reviews/ports';
import type { SlackDeps } from './deps';
import { slackCall } from './slackErrors';

/** How long the check may take; past it the choice goes ahead unchecked. */
const USER_CHECK_DEADLINE_MS = 800;
/**
 * How long an answer about a person is trusted by the role checks. Whether an account is a bot never
 * changes and a deactivation may show a few minutes late; a declaration with a commander checked
 * recently does not wait a round trip to Slack before its channel can be created.
 */
const PERSON_TRUSTED_MS = 5 * 60_000;
const checkedPeople = new WeakMap<WebClient, Map<string, { person: Person; until: number }>>();
const inFlight = new WeakMap<WebClient, Map<string, Promise<Person | null>>>();

/**
 * Why this user cannot take a role (`as` names it: "the commander"), or null when they can: Herald
 * itself, another bot and a deactivated account cannot. The person submitting (`actorId`) is neither,
 * so choosing oneself is not looked up.
 */
export async function personProblem(deps: SlackDeps, userId: string, as: string, actorId?: string): Promise<string | null> {
  if (userId === actorId && userId !== deps.botUserId) return null;
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
  let known = checkedPeople.get(deps.client);
  if (!known) checkedPeople.set(deps.client, (known = new Map()));
  const now = Date.now();
  let pending = inFlight.get(deps.client);
  if (!pending) inFlight.set(deps.client, (pending = new Map()));
  const pendingLookups = pending;
  const cached = known.get(userId);
  if (cached && cached.until > now) return cached.person;
  const timer = new Promise<null>((resolve) => setTimeout(resolve, USER_CHECK_DEADLINE_MS, null).unref());
  // A look-up already under way (the pick in the modal, then its submission) is waited for, not repeated.
  let lookup = pendingLookups.get(userId);
  if (!lookup) {
    lookup = createPersonDirectory(deps.client)
      .lookup(userId)
      .then((person) => {
        known.set(userId, { person, until: Date.now() + PERSON_TRUSTED_MS });
        return person;
      })
      .catch(() => null)
      .finally(() => pendingLookups.delete(userId));
    pendingLookups.set(userId, lookup);
  }
  return Promise.race([lookup, timer]);
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

