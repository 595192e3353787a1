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
