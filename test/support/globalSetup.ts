import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_TEMP_ENV } from './tempDirs';

/** One folder per run for every temporary folder its tests make; the workers inherit its path. */
export default function globalSetup(): void {
  process.env[RUN_TEMP_ENV] = mkdtempSync(join(tmpdir(), 'herald-run-'));
}
