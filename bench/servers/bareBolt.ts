import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { loadConfig } from '../../src/config';
import { helpMessage } from '../../src/slack/blocks/help';

/**
 * The floor Herald is measured against: the same Bolt version and HTTPReceiver, configured as Herald
 * configures it (signing secret, bot identity known up front so no request calls auth.test), with a
 * `/incident` handler that only acknowledges.
 *
 * With BARE_BOLT_ANSWER=help it acknowledges with the very body Herald's help sends, built once: the
 * second floor, which separates what answering with 3 KB costs from what Herald's own code costs.
 */
async function main(): Promise<void> {
  const env = process.env;
  const app = new App({
    token: env.SLACK_BOT_TOKEN,
    botId: env.BOT_ID,
    botUserId: env.BOT_USER_ID,
    logLevel: LogLevel.INFO,
    clientOptions: { slackApiUrl: env.SLACK_API_URL },
    receiver: new HTTPReceiver({ signingSecret: env.SLACK_SIGNING_SECRET!, endpoints: '/slack/events', port: Number(env.PORT) }),
  });
  const answer = env.BARE_BOLT_ANSWER === 'help' ? { response_type: 'ephemeral' as const, ...helpMessage(loadConfig(env).updateCadence) } : undefined;
  app.command('/incident', async ({ ack }) => {
    await ack(answer);
  });
  await app.start();
  process.on('SIGTERM', () => void app.stop().finally(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
