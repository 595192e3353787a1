import { DatabaseUnavailableError, UserFacingError } from '../errors';
import type { Logger } from '../logger';

export const DB_DOWN_MESSAGE = "Herald can't reach its database right now — try again in a minute.";
const UNEXPECTED_MESSAGE = 'Something went wrong on Herald’s side and nothing was changed. The team has the details in the logs.';

/**
 * Database work on a request's path gets this long (the use cases handed to the Slack surface are
 * bound to it), so the answer still reaches Slack inside its 3 seconds when the database is slow or gone.
 */
export const REQUEST_DB_DEADLINE_MS = 1_800;

/**
 * The one place a failure becomes words for the person who asked: the database being away, or a rule
 * their input broke. Null for anything else, which the caller passes on to Bolt's error handler.
 */
export function explainFailure(err: unknown, log: Logger): string | null {
  if (err instanceof DatabaseUnavailableError) {
    log.warn({ err: err.cause }, 'Database unavailable while answering a request');
    return DB_DOWN_MESSAGE;
  }
  if (err instanceof UserFacingError) return err.message;
  return null;
}

type Reply = { text: string; response_type?: 'ephemeral' | 'in_channel'; blocks?: unknown[] };
type AckFn = (reply?: Reply) => Promise<void>;

export interface CommandReplies {
  ack: AckFn;
  respond: (reply: Reply) => Promise<unknown>;
}

/**
 * Runs a slash command's work so the person always hears back: a database outage becomes the plain
 * outage message, a rule the input broke becomes its message, and anything else an apology (the
 * error still goes on to Bolt's error handler and the logs).
 */
export async function answerCommand(replies: CommandReplies, log: Logger, work: (ack: AckFn) => Promise<void>): Promise<void> {
  let acked = false;
  const ack: AckFn = async (reply) => {
    if (acked) return;
    acked = true;
    await replies.ack(reply);
  };
  const tell = async (text: string) => {
    if (!acked) await ack({ text, response_type: 'ephemeral' });
    else await replies.respond({ text, response_type: 'ephemeral' }).catch((err) => log.warn({ err }, 'Could not reply to a command'));
  };
  try {
    await work(ack);
    if (!acked) await ack();
  } catch (err) {
    const explained = explainFailure(err, log);
    if (explained !== null) return void (await tell(explained));
    await tell(UNEXPECTED_MESSAGE);
    throw err;
  }
}
