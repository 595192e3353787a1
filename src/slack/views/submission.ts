import type { SlackViewMiddlewareArgs } from '@slack/bolt';
import { DatabaseUnavailableError } from '../../errors';
import type { Logger } from '../../logger';
import { explainFailure } from '../guard';

type ErrorsAck = SlackViewMiddlewareArgs['ack'];

/**
 * Runs a modal submission's use case (bound to the request deadline). When the database is out of reach
 * or the input breaks a rule, the person sees it under the named input block and the modal stays open;
 * the result is undefined then, and the submission is already answered.
 */
export async function submitOrShowError<T>(
  ack: ErrorsAck,
  log: Logger,
  blocks: { unavailable: string; rule: string },
  work: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    const explained = explainFailure(err, log);
    if (explained === null) throw err;
    const blockId = err instanceof DatabaseUnavailableError ? blocks.unavailable : blocks.rule;
    await ack({ response_action: 'errors', errors: { [blockId]: explained } });
    return undefined;
  }
}
