import type { Incident } from '../incidents/model';
import type { SlackDeps } from './deps';
import { SLACK_PAGE_LIMIT, slackPages } from './paging';
import { slackCall } from './slackErrors';

const membersPage = (deps: Pick<SlackDeps, 'client'>, channel: string) => (cursor: string | undefined) =>
  slackCall(() => deps.client.conversations.members({ channel, limit: SLACK_PAGE_LIMIT, cursor }));

/** Everyone in the channel; throws (ExternalCallError) when Slack cannot say. */
export async function listChannelMembers(deps: Pick<SlackDeps, 'client'>, channelId: string): Promise<string[]> {
  const members: string[] = [];
  for await (const page of slackPages(membersPage(deps, channelId))) members.push(...(page.members ?? []));
  return members;
}

/** Whether `userId` is in the channel. Fails closed: when Slack cannot tell us, the answer is no. */
export async function isChannelMember(deps: Pick<SlackDeps, 'client' | 'log'>, channelId: string, userId: string): Promise<boolean> {
  try {
    for await (const page of slackPages(membersPage(deps, channelId))) if (page.members?.includes(userId)) return true;
  } catch (err) {
    deps.log.warn({ err, channelId }, 'Could not read channel members; hiding the private incident');
  }
  return false;
}

/** Private incidents are shown only to members of their channel. */
export async function visibleTo<T extends Pick<Incident, 'isPrivate' | 'channelId' | 'declaredBy' | 'commanderId'>>(
  deps: Pick<SlackDeps, 'client' | 'log'>,
  userId: string,
  incidents: T[],
): Promise<T[]> {
  const checks = await Promise.all(
    incidents.map((i) => (!i.isPrivate ? true : i.channelId ? isChannelMember(deps, i.channelId, userId) : i.declaredBy === userId || i.commanderId === userId)),
  );
  return incidents.filter((_, index) => checks[index]);
}
