import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders made by tests (a DATA_DIR, a build) are made through here, inside this run's own
 * folder (test/support/globalSetup.ts), and removed after each test file; the run's teardown fails
 * if any is left behind.
 */
export const RUN_TEMP_ENV = 'HERALD_TEST_TMP';

const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(process.env[RUN_TEMP_ENV] ?? tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes `dir` now (a test that is done with it); a Herald killed just before may still be letting go of it. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  const at = made.indexOf(dir);
  if (at >= 0) made.splice(at, 1);
}

/** Removes every folder this test file made (setup.ts runs it after each file). */
export function removeTempDirs(): void {
  for (const dir of [...made]) removeTempDir(dir);
}
