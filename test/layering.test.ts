import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = join(__dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file names: `import … from`, `export … from`, `import type`, `import('…')`, `require('…')`. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) found.push(m[1]);
  return found;
}

/**
 * Slack's surface reaches the data through Herald's use cases, never the database itself: it cannot
 * build SQL, hold a transaction, or tell a driver's error from a rule the input broke.
 */
describe("The Slack surface and the database", () => {
  it('no file under src/slack imports from src/db, not even a type', () => {
    const offenders: string[] = [];
    for (const file of files(join(SRC, 'slack'))) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, resolve(dirname(file), spec));
        if (target === 'db' || target.startsWith(`db/`)) offenders.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

/**
 * The Slack stand-in is Slack, not Herald: the sandbox and the tests both use it, so it may not lean on
 * Herald's code, and Herald's code has no sandbox branches — nothing outside src/sandbox imports it.
 */
describe('The Slack stand-in and Herald', () => {
  const STAND_IN = join(SRC, 'sandbox', 'slack');

  it('the stand-in imports nothing from the rest of src/', () => {
    const offenders: string[] = [];
    for (const file of files(STAND_IN)) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(STAND_IN)) offenders.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no file outside src/sandbox imports the sandbox', () => {
    const offenders: string[] = [];
    for (const file of files(SRC).filter((f) => !f.startsWith(join(SRC, 'sandbox')))) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, resolve(dirname(file), spec));
        if (target === 'sandbox' || target.startsWith('sandbox/')) offenders.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
