import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The package a bare module specifier names (`@scope/name/sub` → `@scope/name`). */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/**
 * The image (and any production install) has only `dependencies`: what the built app loads must be
 * there, or Herald starts in development and fails in production.
 */
describe('What production runs', () => {
  const pkg = JSON.parse(read('package.json'));
  const build = JSON.parse(read('tsconfig.build.json'));

  it('loads only Node built-ins and production dependencies', () => {
    const loaded = new Set<string>();
    for (const file of (build.include as string[]).flatMap((dir) => files(join(ROOT, dir)))) {
      const text = readFileSync(file, 'utf8');
      // Type-only imports vanish from the built code; everything else is loaded at run time.
      for (const m of text.matchAll(/^import (?!type )[^;]*?from '([^'.][^']*)'|import\('([^'.][^']*)'\)/gm)) loaded.add(m[1] ?? m[2]!);
    }
    const notBuiltin = [...loaded].filter((s) => !s.startsWith('node:') && !builtinModules.includes(s)).map(packageOf);
    expect(notBuiltin.length).toBeGreaterThan(3);
    expect([...new Set(notBuiltin)].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });

  it('builds what the image copies and starts the entry point npm start runs, as a non-root user with a health check', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const [buildStage, runStage] = [stages[0]!, stages.at(-1)!];
    for (const dir of build.include as string[]) expect(buildStage).toMatch(new RegExp(`^COPY ${dir} `, 'm'));
    expect(buildStage).toMatch(/npm ci/);
    expect(buildStage).toMatch(/npm prune --omit=dev/);
    const entry = /node (dist\/\S+\.js)/.exec(pkg.scripts.start)![1];
    expect(runStage).toContain(`CMD ["node", "${entry}"]`);
    const user = /^USER (\S+)/m.exec(runStage)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runStage.indexOf('USER ')).toBeLessThan(runStage.indexOf('CMD '));
    expect(runStage).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    // Without it a first start on the embedded database runs initdb (~900 MiB for a few seconds).
    expect(runStage).toMatch(/^COPY --from=build \S* ?\/app\/db\/pglite \.\/db\/pglite$/m);
  });

  it('runs the doctor from what is built, with manifest.yml beside it in the image (the scopes it compares)', () => {
    const entry = /node dist\/(src\/\S+)\.js/.exec(pkg.scripts.doctor)![1];
    expect(statSync(join(ROOT, `${entry}.ts`)).isFile()).toBe(true);
    expect(pkg.scripts.doctor).toMatch(/npm run build/);
    const runStage = read('Dockerfile').split(/^FROM /m).at(-1)!;
    expect(runStage).toMatch(/^COPY .*manifest\.yml \.\/$/m);
    expect(pkg.dependencies.yaml).toBeDefined();
  });

  it('sends Docker a build context without local data, installed modules, the build or the git history', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const path of ['node_modules', '.data', 'dist', '.git']) expect(ignored).toContain(path);
    // What the Dockerfile copies must not be ignored.
    const copied = [...read('Dockerfile').matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    expect(copied.filter((path) => ignored.includes(path))).toEqual([]);
  });

  it('runs the sandbox, as npm run sandbox does, when the container is started with `sandbox`', () => {
    const runStage = read('Dockerfile').split(/^FROM /m).at(-1)!;
    const entryPoint = /^ENTRYPOINT \["\.\/(\S+)"\]/m.exec(runStage)?.[1];
    expect(entryPoint).toBeDefined();
    expect(runStage).toMatch(new RegExp(`^COPY .*${entryPoint} `, 'm'));
    const script = read(entryPoint!);
    const sandboxEntry = /node (dist\/\S+\.js)/.exec(pkg.scripts.sandbox)![1];
    expect(script).toContain(`exec node ${sandboxEntry}`);
    expect(script).toContain('exec "$@"');
    expect(runStage).toMatch(/^COPY .*src\/sandbox\/page /m);
  });
});
