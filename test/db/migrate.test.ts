import { sql } from 'kysely';
import { createTestDatabase } from '../support/database';
import { migrateToLatest } from '../../src/db/migrate';
import { silentLogger } from '../support/logger';

describe('database migrations', () => {
  it('create the schema once and do nothing when run again', async () => {
    const testDb = await createTestDatabase();
    const db = testDb.connect();
    try {
      await migrateToLatest(db, silentLogger);
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(db);
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['incidents', 'outbox', 'services', 'timeline_events', 'processed_events']),
      );
    } finally {
      await testDb.drop();
    }
  });
});
