import type { ViewResponseAction } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { explainFailure } from '../guard';

type ViewAck = (response?: ViewResponseAction) => Promise<void>;

/**
 * Awaits a modal submission's use case (bound to the request deadline). A database outage or a broken
 * rule is answered as a field error on `blockId` (the modal stays open, nothing is lost) and gives
 * `undefined`; anything else goes on to Bolt's error handler.
 */
export async function viewWork<T>(deps: SlackDeps, ack: ViewAck, blockId: string, work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (err) {
    const explained = explainFailure(err, deps.log);
    if (explained === null) throw err;
    await ack({ response_action: 'errors', errors: { [blockId]: explained } });
    return undefined;
  }
}
