import type { Logger } from '../../logger';
import { answerCommand } from '../guard';

type Reply = { text: string; blocks?: unknown[]; replace_original?: boolean };

export interface ClickReplies {
  ack: () => Promise<void>;
  respond: (reply: Reply & { response_type: 'ephemeral' }) => Promise<unknown>;
}

/**
 * Acknowledges a button click at once, then runs its work so the clicker always hears back, only
 * themselves: a refusal or broken rule in its own words, a database outage plainly (as for commands).
 */
export async function answerClick(replies: ClickReplies, log: Logger, work: (tell: (reply: Reply) => Promise<void>) => Promise<void>): Promise<void> {
  const tell = async (reply: Reply) => {
    await replies.respond({ replace_original: false, ...reply, response_type: 'ephemeral' });
  };
  await answerCommand(
    {
      ack: async (reply) => {
        await replies.ack();
        if (reply) await tell(reply);
      },
      respond: tell,
    },
    log,
    async (ack) => {
      await ack();
      await work(tell);
    },
  );
}
