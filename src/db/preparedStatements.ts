import { sql, type RawBuilder } from 'kysely';
import pg from 'pg';

/**
 * Statements Herald runs on every request of a hot path (each alert notification) are prepared: on
 * PostgreSQL each connection parses and plans such a statement once, and after a few runs reuses a
 * generic plan. Planning the alert statements cost more than running them.
 *
 * A statement is marked by ending it with `preparedAs(name)`, a comment, so the SQL stays the same
 * text everywhere (PGlite ignores the mark). A name must always go with the same text, so mark only
 * statements whose text does not vary with their input (no lists spelled out per value), and name
 * their columns rather than `returning *`: a migration that adds a column must not change the result
 * of a statement a running replica has prepared.
 *
 * Behind PgBouncer in transaction mode this needs its `max_prepared_statements` (PgBouncer 1.21+).
 */
const MARK = '/* prepared:';
const END = ' */';

export function preparedAs(name: string): RawBuilder<unknown> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`A prepared statement's name is lower-case letters, digits and _: "${name}"`);
  return sql.raw(` ${MARK}${name}${END}`);
}

/** The name a statement's text is marked with, or null. */
export function preparedName(text: string): string | null {
  if (!text.endsWith(END)) return null;
  const at = text.lastIndexOf(MARK);
  return at < 0 ? null : `herald_${text.slice(at + MARK.length, -END.length)}`;
}

/** pg's Client, sending a marked statement as a named (prepared) one; everything else as pg does. */
export class PreparingClient extends pg.Client {}

const plainQuery = pg.Client.prototype.query;
PreparingClient.prototype.query = function query(this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
  const name = typeof config === 'string' ? preparedName(config) : null;
  const args = name ? [{ name, text: config, values }, callback] : [config, values, callback];
  return (plainQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof plainQuery;
