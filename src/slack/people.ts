import type { SlackDeps } from './deps';

/** How long the check may take; past it the choice goes ahead unchecked. */
const USER_CHECK_DEADLINE_MS = 800;

/**
 * Why this user cannot take a role (`as` names it: "the commander"), or null when they can: Herald
 * itself, another bot and a deactivated account cannot.
 */
export async function personProblem(deps: SlackDeps, userId: string, as: string): Promise<string | null> {
  if (userId === deps.botUserId) return `Herald cannot be ${as} — choose a person.`;
  const timer = new Promise<null>((resolve) => setTimeout(resolve, USER_CHECK_DEADLINE_MS, null).unref());
  const info = await Promise.race([deps.client.users.info({ user: userId }).catch(() => null), timer]);
  if (info?.user?.is_bot) return `That is a bot — choose a person as ${as}.`;
  if (info?.user?.deleted) return 'That account is deactivated — choose someone else.';
  return null;
}
