/** The sandbox never runs beside a real Slack app or a real database, and says which variable to unset. */
import { ConfigError } from '../../src/config';
import { sandboxRefusal, startSandbox } from '../../src/sandbox/start';

describe('Starting the sandbox', () => {
  it('refuses real Slack credentials in the environment, naming them', async () => {
    await expect(startSandbox({ SLACK_BOT_TOKEN: 'xoxb-real', SLACK_SIGNING_SECRET: 'real' })).rejects.toThrow(ConfigError);
    expect(sandboxRefusal({ SLACK_BOT_TOKEN: 'xoxb-real', SLACK_SIGNING_SECRET: 'real' })).toMatch(/unset SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET/);
    expect(sandboxRefusal({ SLACK_APP_TOKEN: 'xapp-1' })).toMatch(/SLACK_APP_TOKEN/);
  });

  it('refuses a DATABASE_URL, so a reset can never empty a real database', () => {
    expect(sandboxRefusal({ DATABASE_URL: 'postgres://db/herald' })).toMatch(/unset DATABASE_URL/);
  });

  it('starts with none of them (empty values count as unset)', () => {
    expect(sandboxRefusal({ SLACK_BOT_TOKEN: ' ', DATA_DIR: '/tmp/x' })).toBeNull();
  });
});
