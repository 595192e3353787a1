/**
 * The sandbox's Slack side lives in memory; it is written to DATA_DIR beside Herald's database (at most
 * once a second, and on stop), so a sandbox restarted on the same DATA_DIR carries on where it was.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SavedWorkspace } from './slack/saved';
import type { Note } from './slackSide';

export interface SandboxSave {
  workspace: SavedWorkspace;
  notes: Note[];
  reactions: Array<[string, Array<[string, string[]]>]>;
  offsetMs: number;
}

export const SAVE_FILE = 'sandbox-workspace.json';

export function readSave(dataDir: string): SandboxSave | null {
  const file = join(dataDir, SAVE_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SandboxSave) : null;
}

export interface Saver {
  /** Writes now if anything changed since the last write. */
  flush(): void;
  stop(): void;
}

export function startSaver(dataDir: string, collect: () => SandboxSave, everyMs = 1000): Saver {
  const file = join(dataDir, SAVE_FILE);
  let last = '';
  const flush = () => {
    const text = JSON.stringify(collect());
    if (text === last) return;
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    last = text;
  };
  const timer = setInterval(flush, everyMs);
  timer.unref();
  return {
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
