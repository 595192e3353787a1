import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../logger';
import { COMPLETE_MARK, copyTemplate, findTemplateDir, lookUpTemplate } from './dataDirTemplate';

/**
 * PostgreSQL settings of the embedded database, on top of PGlite's own start parameters (which keep
 * its durability as it is). PGlite keeps PostgreSQL's memory inside WebAssembly memory, which never
 * shrinks: every buffer PostgreSQL touches stays resident for the life of the process. Herald's
 * working set is a few MiB, and the files are in the OS page cache anyway, so PostgreSQL's defaults
 * (128 MB of shared buffers, 64 MB for maintenance) only cost memory. Measured with the rest below:
 * idle RSS ~350 → ~170 MiB, `/incident list` CPU per request unchanged (README, "Memory a container needs").
 */
export const EMBEDDED_SETTINGS: readonly string[] = ['shared_buffers=8MB', 'maintenance_work_mem=16MB', 'temp_buffers=2MB'];

/**
 * V8 compiles all of a WebAssembly module at once with its baseline compiler (Liftoff), then hot
 * functions again with its optimizing one. For PGlite's 9 MB PostgreSQL the baseline code of
 * functions Herald never calls stays resident. Compiling each function when first called, optimized
 * only, measured ~40 MiB less idle (PGlite alone: 165 → 125 MiB) and ~1 s more CPU at start; a small
 * indexed select took ~600 instead of ~1,000 µs of CPU, though Herald's `list` as a whole is not
 * measurably cheaper (bench section 1). The flags are read when a module is compiled, so they are
 * set just before PGlite compiles its own; Herald has no other WebAssembly.
 */
function compileWasmOptimizedOnly(): void {
  setFlagsFromString('--no-liftoff');
  setFlagsFromString('--wasm-lazy-compilation');
}

/**
 * Opens (creating when needed) the embedded database in `dir`, which the caller has locked. A new
 * database is copied from the template shipped with Herald; initdb never runs in this process.
 */
export async function openEmbeddedDatabase(dir: string, log: Logger, templateDir = findTemplateDir()): Promise<PGlite> {
  if (!existsSync(join(dir, COMPLETE_MARK))) await createDataDir(dir, log, templateDir);
  compileWasmOptimizedOnly();
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(dir, { startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ['-c', s])] });
  await pglite.waitReady;
  return pglite;
}

async function createDataDir(dir: string, log: Logger, templateDir: string | null): Promise<void> {
  const template = lookUpTemplate(templateDir);
  if (template.usable) {
    await copyTemplate(template.dir, dir);
    log.info({ dataDir: dir }, 'Created the embedded database from the template shipped with Herald');
    return;
  }
  log.warn(
    { dataDir: dir, reason: template.reason },
    'No usable template for the embedded database; creating it with initdb in a separate process (needs ~900 MiB for a few seconds, once). Run `npm run pglite-template` to make one',
  );
  await initdbInChildProcess(dir);
}

/**
 * PGlite's initdb, in a process of its own that exits when done, so its memory peak is never this
 * process's: it runs a second PostgreSQL and copies its memory, and WebAssembly memory is never given back.
 */
export async function initdbInChildProcess(dir: string): Promise<void> {
  const entry = pathToFileURL(join(dirname(require.resolve('@electric-sql/pglite')), 'index.js')).href;
  const code = `const { PGlite } = await import(process.env.PGLITE_ENTRY); const pg = new PGlite(process.env.PGLITE_DATA_DIR); await pg.waitReady; await pg.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH ?? '', PGLITE_ENTRY: entry, PGLITE_DATA_DIR: dir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const [code_, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, s) => resolve([c, s]));
  });
  if (code_ !== 0 || !existsSync(join(dir, COMPLETE_MARK))) {
    const how = signal === 'SIGKILL' ? 'was killed (out of memory? it needs ~900 MiB once)' : `exited with ${signal ?? code_}`;
    throw new Error(`Creating the embedded database in ${dir} failed: initdb ${how}. ${stderr.trim()}`.trim());
  }
}
