import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WebClient } from '@slack/web-api';
import { ConfigError, loadConfig, type Config } from './config';
import { createDatabase, type Database } from './db/client';
import { DataDirError } from './db/dataDirLock';
import { describeDatabaseUrl, doctorDatabase, type DoctorDatabase } from './doctor/database';
import { note, problem, problemsIn, reportAsText, type Finding } from './doctor/findings';
import { findManifest, readManifestExpectations } from './doctor/manifest';
import { describeError } from './errors';
import { createLogger, type Logger } from './logger';
import { webClientOptions } from './slack/app';
import { runSetupCheck } from './slack/setupCheck';

/**
 * `npm run doctor`: checks the real installation — token, scopes, channels, App Home, database,
 * configuration — and prints each problem with its fix. It changes nothing: no Slack call that writes,
 * no migration, and an embedded database that does not exist yet is not created.
 */

/** A database the doctor could not open: the reason is its only finding. */
const unopened = (finding: Finding): DoctorDatabase => ({
  check: async () => [finding],
  stakeholderChannels: async () => {
    throw new Error('no database');
  },
  refusals: async () => ({}),
});

async function openDatabase(config: Config, log: Logger): Promise<{ db: Database | null; port: DoctorDatabase }> {
  if (config.databaseUrl) {
    const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
    return { db, port: doctorDatabase(db, describeDatabaseUrl(config.databaseUrl)) };
  }
  const dir = resolve(config.dataDir);
  // PGlite would create a database in an empty folder: the doctor only looks.
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    return {
      db: null,
      port: unopened(problem('Database', `There is no embedded database in ${dir} (DATA_DIR) yet.`, 'Start Herald once (`npm start`) or run `npm run migrate`; if Herald keeps its data elsewhere, set DATA_DIR to that folder.')),
    };
  }
  try {
    const db = await createDatabase({ dataDir: config.dataDir, log });
    return { db, port: doctorDatabase(db, `The embedded database in ${dir}`) };
  } catch (err) {
    if (!(err instanceof DataDirError)) throw err;
    // A running Herald holds its embedded database: that is how it should be, not a problem to fix.
    const running = /in use by another Herald/.test(err.message);
    const finding = running
      ? note('Database', `Not checked: ${err.message.split('. ')[0]}.`, 'Ask that Herald instead — type `/incident doctor` in Slack — or run this while it is stopped.')
      : problem('Database', err.message, 'Fix DATA_DIR as it says, then run the check again.');
    return { db: null, port: unopened(finding) };
  }
}

const terminalChannel = (id: string, name?: string) => (name ? `#${name} (${id})` : id);

/** Runs the check with `env`, writes the report, and answers the exit code: 0 when all is well, 1 otherwise. */
export async function runDoctorCli(env: NodeJS.ProcessEnv, write: (text: string) => void): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const findings = err.problems.map((line) => problem('Configuration', line, 'Set it as this says (README.md → Configuration lists every variable), then run the check again.'));
    write(reportAsText(findings));
    return 1;
  }
  const log = createLogger('silent');
  const { db, port } = await openDatabase(config, log);
  try {
    const manifestPath = findManifest();
    const findings = await runSetupCheck({
      client: new WebClient(config.slack.botToken, webClientOptions(config.slack.apiUrl, log)),
      config,
      manifest: manifestPath ? readManifestExpectations(manifestPath) : null,
      database: port,
      channelLabel: terminalChannel,
      clock: () => new Date(),
    });
    write(reportAsText(findings));
    return problemsIn(findings).length > 0 ? 1 : 0;
  } finally {
    await db?.destroy();
  }
}

if (require.main === module) {
  runDoctorCli(process.env, (text) => process.stdout.write(text)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`The setup check could not run: ${describeError(err)}`);
      process.exit(2);
    },
  );
}
