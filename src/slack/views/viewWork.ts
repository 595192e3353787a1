import type { ViewResponseAction } from '@slack/bolt';
import { isDatabaseUnavailable } from '../../db/client';
import { UserFacingError } from '../../errors';
import type { SlackDeps } from '../deps';
import { DB_DOWN_MESSAGE, withinRequestDeadline } from '../guard';

type ViewAck = (response?: ViewResponseAction) => Promise<void>;

/**
 * Runs a modal submission's database work inside the request deadline. A database outage or a broken
 * rule is answered as a field error on `blockId` (the modal stays open, nothing is lost) and gives
 * `undefined`; anything else goes on to Bolt's error handler.
 */
export async function viewWork<T>(deps: SlackDeps, ack: ViewAck, blockId: string, work: Promise<T>): Promise<T | undefined> {
  try {
    return await withinRequestDeadline(work);
  } catch (err) {
    if (isDatabaseUnavailable(err)) {
      deps.log.warn({ err }, 'Database unavailable during a modal submission');
      await ack({ response_action: 'errors', errors: { [blockId]: DB_DOWN_MESSAGE } });
      return undefined;
    }
    if (err instanceof UserFacingError) {
      await ack({ response_action: 'errors', errors: { [blockId]: err.message } });
      return undefined;
    }
    throw err;
  }
}
