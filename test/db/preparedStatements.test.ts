import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { preparedAs, preparedName } from '../../src/db/preparedStatements';
import type { DB } from '../../src/db/schema';
import { readAlertmanager } from '../../src/signals/alertPayloads';
import { receiveAlerts } from '../../src/signals/alerts';
import { fixture } from '../support/alerts';
import { createTestDatabase, usingServer, type TestDatabase } from '../support/database';

describe('Marking a statement to be prepared', () => {
  it('names it by the mark at its end, and leaves other statements unnamed', () => {
    const compiler = new Kysely<DB>({
      dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
    });
    const marked = sql`select ${1}::int${preparedAs('alert_group_lock')}`.compile(compiler).sql;
    expect(marked).toBe('select $1::int /* prepared:alert_group_lock */');
    expect(preparedName(marked)).toBe('herald_alert_group_lock');
    expect(preparedName('select 1 /* a comment */')).toBeNull();
    expect(preparedName('select 1')).toBeNull();
  });

  it('refuses a name that is not lower-case letters, digits and _', () => {
    expect(() => preparedAs('Alert lock')).toThrow(/lower-case letters, digits and _/);
  });
});

if (usingServer) {
  describe('On PostgreSQL, the statements of alert intake', () => {
    let database: TestDatabase;
    let db: Kysely<DB>;
    beforeEach(async () => {
      database = await createTestDatabase();
      // Herald's own pool: used one statement at a time, it opens one connection and reuses it, so
      // what that connection has prepared can be read back on it.
      db = database.connect();
    });
    afterEach(async () => {
      await db.destroy();
      await database.drop();
    });

    const prepared = async () => (await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(db)).rows.map((r) => r.name);

    it('are prepared once on the connection that runs them, and a repeat reuses them', async () => {
      const deps = { db, hooks: {}, teamId: 'T0001', channel: 'CALERTS', rules: [], autoDeclarer: 'UHERALD' };
      const now = new Date('2026-11-27T10:00:00Z');
      expect(await prepared()).toEqual([]);
      const first = await receiveAlerts(deps, readAlertmanager(fixture('alertmanager-v4')), now);
      expect(first).toMatchObject({ created: true, changed: true });
      expect(await prepared()).toEqual(['herald_alert_group_lock', 'herald_alerts_apply']);

      const resolved = fixture('alertmanager-v4');
      resolved.status = 'resolved';
      for (const alert of resolved.alerts) alert.status = 'resolved';
      const second = await receiveAlerts(deps, readAlertmanager(resolved), now);
      expect(second).toMatchObject({ groupId: first.groupId, created: false, changed: true });
      const group = await db.selectFrom('alert_groups').select(['status', 'revision']).where('id', '=', first.groupId).executeTakeFirstOrThrow();
      expect(group).toEqual({ status: 'resolved', revision: 2 });
      // Statements that are not marked (the transaction's begin and commit, the outbox's insert) are not kept.
      expect(await prepared()).toEqual(['herald_alert_group_lock', 'herald_alerts_apply']);
    });
  });
}
