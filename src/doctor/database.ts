import { listStakeholderChannels } from '../comms/stakeholdersRepository';
import { pingDatabase, type Database } from '../db/client';
import { pendingMigrations } from '../db/migrate';
import { countJobsByLastError } from '../outbox/repository';
import { fine, problem, type Finding } from './findings';

/** How long the doctor waits for the database to answer before calling it unreachable. */
const PING_MS = 3_000;

/** What the doctor asks of the database; the Slack surface reaches it through the use cases. */
export interface DoctorDatabase {
  /** Reachable and migrated, as findings. */
  check(): Promise<Finding[]>;
  /** Every stakeholder channel of the workspace's services, with the services that list it. */
  stakeholderChannels(teamId: string): Promise<Array<{ channelId: string; services: string[] }>>;
  /** Jobs still waiting or given up, by what last stopped them (Slack's error codes, mostly). */
  refusals(): Promise<Record<string, number>>;
}

export const UNREACHABLE_FIX =
  'Check DATABASE_URL (host, port, database, user and password) and that the server accepts connections from here; with no DATABASE_URL, that DATA_DIR is readable.';

/** Reachable and migrated; `where` names the database for the reader (never with a password). */
export async function checkDatabase(db: Database, where = 'The database'): Promise<Finding[]> {
  if (!(await pingDatabase(db, PING_MS))) return [problem('Database', `${where} does not answer.`, UNREACHABLE_FIX)];
  const pending = await pendingMigrations(db);
  if (pending.length === 0) return [fine('Database', `${where} answers and is up to date.`)];
  return [
    problem(
      'Database',
      `${where} answers but ${pending.length} migration${pending.length === 1 ? ' has' : 's have'} not run: ${pending.join(', ')}.`,
      'Run `npm run migrate` (Herald also migrates at start-up); until then Herald cannot store what the newer code writes.',
    ),
  ];
}

export function doctorDatabase(db: Database, where?: string): DoctorDatabase {
  return {
    check: () => checkDatabase(db, where),
    stakeholderChannels: (teamId) => listStakeholderChannels(db, teamId),
    refusals: () => countJobsByLastError(db),
  };
}

/** A PostgreSQL URL as the reader may see it: host, port and database, never the user's password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `The PostgreSQL database at ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'The PostgreSQL database of DATABASE_URL';
  }
}
