import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATE_DIR_NAME, installedPgliteVersion, writeTemplate } from './dataDirTemplate';
import { initdbInChildProcess } from './embedded';

/**
 * `npm run pglite-template`: makes db/pglite/pgdata.tar.br, the data directory a first start copies
 * instead of running initdb. Run it after upgrading @electric-sql/pglite (a test says when).
 */
async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'herald-pglite-template-'));
  try {
    await initdbInChildProcess(scratch);
    const out = join(process.cwd(), TEMPLATE_DIR_NAME);
    writeTemplate(scratch, out, { pglite: installedPgliteVersion() });
    console.log(`Wrote ${out} for PGlite ${installedPgliteVersion()}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
