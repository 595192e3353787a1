import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { startTestHerald } from './harness';
import { removeTempDirs, RUN_TEMP_ENV, tempDir } from './tempDirs';

describe('Temporary folders made by the tests', () => {
  it('live in the run\'s own folder, which the run removes at its end', () => {
    const dir = tempDir('herald-check-');
    expect(process.env[RUN_TEMP_ENV]).toBeTruthy();
    expect(dirname(dir)).toBe(process.env[RUN_TEMP_ENV]);
    removeTempDirs();
    expect(existsSync(dir)).toBe(false);
  });

  it('a Herald started by the harness leaves no folder behind once stopped', async () => {
    const t = await startTestHerald();
    expect(existsSync(t.config.dataDir)).toBe(true);
    await t.stop();
    expect(existsSync(t.config.dataDir)).toBe(false);
  });
});
