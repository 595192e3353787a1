import { sql } from 'kysely';
import { poolStatsOf } from '../../src/db/poolStats';
import { createTestDatabase, usingServer, type TestDatabase } from '../support/database';
import { waitFor } from '../support/harness';

describe("The database's connection figures (for /metrics)", () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('show a transaction holding a connection, and what waits for one', async () => {
    const db = database.connect();
    let finish!: () => void;
    const holding = new Promise<void>((resolve) => (finish = resolve));
    let started!: () => void;
    const inTransaction = new Promise<void>((resolve) => (started = resolve));
    const transaction = db.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
      started();
      await holding;
    });
    await inTransaction;
    const query = sql`select 1`.execute(db);
    if (usingServer) {
      // A pool of connections: the query takes a second one, nobody waits, and it goes back idle.
      await query;
      expect(poolStatsOf(db)).toEqual({ database: 'postgres', max: 10, inUse: 1, idle: 1, waiting: 0 });
    } else {
      // One session: the query waits for the transaction to end.
      await waitFor(() => poolStatsOf(db)!.waiting === 1, 'the query to queue');
      expect(poolStatsOf(db)).toEqual({ database: 'embedded', max: 1, inUse: 1, idle: 0, waiting: 1 });
    }
    finish();
    await Promise.all([transaction, query]);
    expect(poolStatsOf(db)).toMatchObject({ inUse: 0, waiting: 0 });
  });
});
