import { claimDueJobs } from '../../src/outbox/repository';
import { enqueueHomeRefresh, HOME_REFRESH_JOB } from '../../src/home/refresh';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('Queuing Home tab refreshes', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  const pending = (db: ReturnType<TestDatabase['connect']>) =>
    db.selectFrom('outbox').select(['payload', 'locked_until']).where('kind', '=', HOME_REFRESH_JOB).where('status', '=', 'pending').orderBy('id').execute();

  it('adds nothing while a refresh for that person still waits, so a burst of changes is one publish', async () => {
    const db = database.connect();
    const now = new Date('2026-03-02T10:00:00Z');
    for (let i = 0; i < 20; i += 1) {
      await db.transaction().execute((tx) => enqueueHomeRefresh(tx, 'T1', ['U2', 'U3', 'U2', null], now));
    }
    const jobs = await pending(db);
    expect(jobs.map((j) => (j.payload as any).userId).sort()).toEqual(['U2', 'U3']);
    // Another workspace's person of the same id is someone else.
    await enqueueHomeRefresh(db, 'T2', ['U2'], now);
    expect(await pending(db)).toHaveLength(3);
  });

  it('queues another once the waiting one has been taken, so a change made while it runs is drawn too', async () => {
    const db = database.connect();
    const now = new Date('2026-03-02T10:00:00Z');
    await enqueueHomeRefresh(db, 'T1', ['U2'], now);
    const [taken] = await claimDueJobs(db, now, 60_000, 10, [HOME_REFRESH_JOB]);
    expect(taken.kind).toBe(HOME_REFRESH_JOB);
    await enqueueHomeRefresh(db, 'T1', ['U2'], now);
    const jobs = await pending(db);
    expect(jobs).toHaveLength(2);
    expect(jobs.filter((j) => j.locked_until === null)).toHaveLength(1);
  });
});
