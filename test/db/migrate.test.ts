import { sql } from 'kysely';
import { createTestDatabase } from '../support/database';
import { migrateToLatest } from '../../src/db/migrate';
import { silentLogger } from '../support/logger';
import { migrations } from '../../db/migrations';

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

describe('replicas starting together', () => {
  it('apply each migration once, whichever gets the lock first', async () => {
    const testDb = await createTestDatabase({ migrated: false });
    try {
      const replicas = [testDb.connect(), testDb.connect(), testDb.connect()];
      await Promise.all(replicas.map((db) => migrateToLatest(db, silentLogger)));
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(replicas[0]);
      expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    } finally {
      await testDb.drop();
    }
  });
});
