import { cpSync, mkdtempSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { COMPLETE_MARK, TEMPLATE_INFO, findTemplateDir, installedPgliteVersion, lookUpTemplate } from '../../src/db/dataDirTemplate';
import { openEmbeddedDatabase } from '../../src/db/embedded';
import type { Logger } from '../../src/logger';
import { silentLogger } from '../support/logger';
import { usingServer } from '../support/database';

/**
 * The embedded database's first start: initdb inside PGlite peaked at ~890 MiB, so a new DATA_DIR is
 * copied from the data directory shipped in db/pglite/, and initdb, when it must run, runs in a
 * process of its own. These tests are about PGlite alone, whatever TEST_DATABASE_URL says: they are
 * registered in the embedded run only (the PostgreSQL run would repeat them word for word).
 */
const scratch: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-embedded-'));
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** initdb gives every new database its own system identifier; a copy keeps the template's. */
async function identity(pglite: PGlite): Promise<string> {
  const { rows } = await pglite.query<{ id: string }>('select system_identifier::text as id from pg_control_system()');
  return rows[0]!.id;
}

async function withDatabase<T>(dir: string, use: (pglite: PGlite) => Promise<T>, templateDir?: string | null, log: Logger = silentLogger): Promise<T> {
  const pglite = await openEmbeddedDatabase(dir, log, templateDir === undefined ? findTemplateDir() : templateDir);
  try {
    return await use(pglite);
  } finally {
    await pglite.close();
  }
}

describe('The data directory shipped for the embedded database', () => {
  it('was made with the PGlite installed (else: npm run pglite-template)', () => {
    expect(lookUpTemplate()).toEqual({ usable: true, dir: findTemplateDir() });
  });
});

if (!usingServer) {
  describe('A first start on an empty DATA_DIR', () => {
    it('copies the shipped database instead of running initdb, and keeps what is written across a restart', async () => {
      const [first, second] = [freshDir(), freshDir()];
      const firstId = await withDatabase(first, async (pglite) => {
        await pglite.exec(`create table notes (body text); insert into notes values ('kept')`);
        return identity(pglite);
      });
      // Two new databases with one identity: neither ran initdb.
      expect(await withDatabase(second, identity)).toBe(firstId);
      const { rows } = await withDatabase(first, (pglite) => pglite.query<{ body: string }>('select body from notes'));
      expect(rows).toEqual([{ body: 'kept' }]);
    }, 120_000);

    it('keeps PostgreSQL’s buffers small, so the WebAssembly memory they take stays small', async () => {
      const settings = await withDatabase(freshDir(), async (pglite) => (await pglite.query<{ shared_buffers: string }>('show shared_buffers')).rows[0]);
      expect(settings).toEqual({ shared_buffers: '8MB' });
    }, 120_000);

    it('redoes a copy a crash cut short', async () => {
      const dir = freshDir();
      const id = await withDatabase(dir, identity);
      // What a crash mid-copy leaves: some files, one half written, and no PG_VERSION (written last).
      unlinkSync(join(dir, COMPLETE_MARK));
      truncateSync(join(dir, 'global', 'pg_control'), 100);
      expect(await withDatabase(dir, identity)).toBe(id);
    }, 120_000);

    it('with no template for the installed PGlite, runs initdb in a process of its own, and the database works', async () => {
      const stale = freshDir();
      cpSync(findTemplateDir()!, stale, { recursive: true });
      writeFileSync(join(stale, TEMPLATE_INFO), JSON.stringify({ pglite: '0.0.1' }));
      expect(lookUpTemplate(stale)).toEqual({ usable: false, reason: `it was made with PGlite 0.0.1 and ${installedPgliteVersion()} is installed` });

      const shipped = await withDatabase(freshDir(), identity);
      const warnings: string[] = [];
      const log = { ...silentLogger, info: () => undefined, warn: (_: object, message: string) => void warnings.push(message) } as unknown as Logger;
      const dir = freshDir();
      const own = await withDatabase(dir, async (pglite) => {
        await pglite.exec(`create table notes (body text); insert into notes values ('kept')`);
        return identity(pglite);
      }, stale, log);
      expect(own).not.toBe(shipped);
      expect(warnings).toEqual([expect.stringContaining('creating it with initdb in a separate process')]);
      expect(warnings[0]).toContain('npm run pglite-template');
      expect(readdirSync(dir)).toContain(COMPLETE_MARK);
      const { rows } = await withDatabase(dir, (pglite) => pglite.query<{ body: string }>('select body from notes'));
      expect(rows).toEqual([{ body: 'kept' }]);
    }, 300_000);
  });
}
