import { readdirSync, rmSync } from 'node:fs';
import { RUN_TEMP_ENV } from './tempDirs';

/** A run leaves nothing in the temporary directory: anything a test left behind fails the run, by name. */
export default function globalTeardown(): void {
  const root = process.env[RUN_TEMP_ENV];
  if (!root) return;
  const left = readdirSync(root);
  rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  if (left.length > 0) {
    throw new Error(`Tests left ${left.length} temporary folder(s) behind (${left.slice(0, 5).join(', ')}…): make them with tempDir() from test/support/tempDirs.ts`);
  }
}
