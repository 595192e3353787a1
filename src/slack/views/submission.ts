import type { SlackViewMiddlewareArgs } from '@slack/bolt';
import { isDatabaseUnavailable } from '../../db/client';
import { UserFacingError } from '../../errors';
import type { Logger } from '../../logger';
import { DB_DOWN_MESSAGE, withinRequestDeadline } from '../guard';

type ErrorsAck = SlackViewMiddlewareArgs['ack'];

/**
 * Runs a modal submission's use case inside the request deadline. When the database is out of reach or
 * the input breaks a rule, the person sees it under the named input block and the modal stays open;
 * the result is undefined then, and the submission is already answered.
 */
export async function submitOrShowError<T>(
  ack: ErrorsAck,
  log: Logger,
  blocks: { unavailable: string; rule: string },
  work: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await withinRequestDeadline(work());
  } catch (err) {
    if (isDatabaseUnavailable(err)) {
      log.warn({ err }, 'Database unavailable during a modal submission');
      await ack({ response_action: 'errors', errors: { [blocks.unavailable]: DB_DOWN_MESSAGE } });
      return undefined;
    }
    if (err instanceof UserFacingError) {
      await ack({ response_action: 'errors', errors: { [blocks.rule]: err.message } });
      return undefined;
    }
    throw err;
  }
}
