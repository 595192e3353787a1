/** *Reset*: every Herald table emptied (the schema and its migrations stay), as on a first start. */
import { sql } from 'kysely';
import type { Database } from '../db/client';

export async function emptyHeraldTables(db: Database): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_migration%'`.execute(db);
  if (rows.length === 0) return;
  const list = rows.map((r) => `"${r.name.replace(/"/g, '""')}"`).join(', ');
  await sql.raw(`truncate table ${list} restart identity cascade`).execute(db);
}
