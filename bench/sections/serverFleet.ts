import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSlackStub, type SlackStub } from '../../test/support/slackStub';
import { createPgliteDatabase, createPostgresDatabase, type BenchDatabase } from '../databases';
import { seedClosedIncidents, seedOpenIncidents, seedServices } from '../seed';
import { startBareBoltChild, startHeraldChild, type ServerChild, type SlackSide } from '../servers/children';

export const SIGNING_SECRET = 'bench-signing-secret';

/**
 * The scheduler's once-a-minute outbox pass (section 4 measures it) would land in some runs and not
 * others; here it runs once a year so request figures are requests only.
 */
export const QUIET_SCHEDULER = { SCHEDULER_CRON: '0 0 1 1 *' };

/** The servers sections 1 and 5 compare: bare Bolt, Herald on PostgreSQL (when reachable), Herald on PGlite. */
export interface Fleet {
  slack: SlackStub;
  /** What a server needs to reach the stand-in, to start more servers beside the fleet. */
  side: SlackSide;
  teamId: string;
  bolt: ServerChild;
  /** Bare Bolt acknowledging with Herald's help body: what the answer itself costs. */
  boltWithHelpBody: ServerChild;
  heraldPg: ServerChild | null;
  heraldPglite: ServerChild;
  openIncidents: number;
  stop(): Promise<void>;
}

/** What `/incident list` has to read: some open incidents with services, and years of closed ones. */
async function seedForList(db: BenchDatabase, teamId: string, open: number): Promise<void> {
  const now = new Date();
  await seedServices(db.bulk, teamId);
  await seedClosedIncidents(db.bulk, teamId, 1, 500, now);
  await seedOpenIncidents(db.bulk, teamId, 501, 500 + open, now);
}

export async function startFleet(serverUrl: string | null, openIncidents: number): Promise<Fleet> {
  const slack = await startSlackStub();
  const side: SlackSide = { token: slack.token, apiUrl: slack.apiUrl, botId: slack.botId, botUserId: slack.botUserId, signingSecret: SIGNING_SECRET };
  const started: ServerChild[] = [];
  let pg: BenchDatabase | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-bench-pglite-'));
  try {
    const bolt = await startBareBoltChild('bare Bolt', side);
    started.push(bolt);
    const boltWithHelpBody = await startBareBoltChild('bare Bolt + help body', side, 'help');
    started.push(boltWithHelpBody);
    let heraldPg: ServerChild | null = null;
    if (serverUrl) {
      pg = await createPostgresDatabase(serverUrl);
      await seedForList(pg, slack.teamId, openIncidents);
      heraldPg = await startHeraldChild('Herald (PostgreSQL)', side, { url: pg.url }, QUIET_SCHEDULER);
      started.push(heraldPg);
    }
    // The embedded database is one process's: seeded here, closed, then opened by the Herald child.
    const embedded = await createPgliteDatabase(dataDir);
    await seedForList(embedded, slack.teamId, openIncidents);
    await embedded.drop();
    const heraldPglite = await startHeraldChild('Herald (PGlite)', side, { dataDir }, QUIET_SCHEDULER);
    started.push(heraldPglite);
    return {
      slack,
      side,
      teamId: slack.teamId,
      bolt,
      boltWithHelpBody,
      heraldPg,
      heraldPglite,
      openIncidents,
      async stop() {
        await Promise.all(started.map((s) => s.stop()));
        await pg?.drop();
        await slack.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    await pg?.drop();
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
