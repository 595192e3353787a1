/**
 * `npm run sandbox` (and `docker run … herald sandbox`): Herald with a Slack stand-in and a page at
 * /sandbox, to try it with no workspace. The process entry of the sandbox, as src/main.ts is Herald's.
 */
import { ConfigError } from '../config';
import { describeError } from '../errors';
import { startSandbox } from './start';

async function main(): Promise<void> {
  let sandbox;
  try {
    sandbox = await startSandbox(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`The sandbox cannot start:\n${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  console.log("Herald's sandbox is running (Ctrl-C stops it).");
  console.log(`Open ${sandbox.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err) => {
  console.error(`The sandbox failed to start: ${describeError(err)}`);
  process.exit(1);
});
