import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, createBrotliDecompress } from 'node:zlib';

/**
 * A freshly created, cleanly closed PGlite data directory, shipped with Herald (db/pglite/). A first
 * start copies it into an empty DATA_DIR instead of running initdb: initdb inside PGlite runs a second
 * PostgreSQL and copies its whole memory, which peaked at ~890 MiB and left the process near 800 MiB.
 * It only fits the PGlite it was made with, so it records that version; regenerate it with
 * `npm run pglite-template` after upgrading @electric-sql/pglite.
 */
export const TEMPLATE_DIR_NAME = join('db', 'pglite');
export const TEMPLATE_FILE = 'pgdata.tar.br';
export const TEMPLATE_INFO = 'pgdata.json';
/** Written last when copying: PGlite (and Herald) take a folder holding it for a complete database. */
export const COMPLETE_MARK = 'PG_VERSION';

export interface TemplateInfo {
  /** The @electric-sql/pglite version the data directory was created with. */
  pglite: string;
}

/** The installed PGlite's version, read from its package.json. */
export function installedPgliteVersion(): string {
  // The package's `exports` hide package.json; its entry point lives in dist/, one level below.
  const entry = require.resolve('@electric-sql/pglite');
  const manifest = join(dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Herald's db/pglite folder, found from this file in src/ or in any build under dist/. */
export function findTemplateDir(from = __dirname): string | null {
  let dir = from;
  for (let i = 0; i < 8; i += 1) {
    const candidate = join(dir, TEMPLATE_DIR_NAME);
    if (existsSync(join(candidate, TEMPLATE_INFO))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

export type TemplateLookup = { usable: true; dir: string } | { usable: false; reason: string };

/** The shipped template, if there is one made with the PGlite installed. */
export function lookUpTemplate(templateDir = findTemplateDir()): TemplateLookup {
  if (!templateDir || !existsSync(join(templateDir, TEMPLATE_FILE))) return { usable: false, reason: `no ${join(TEMPLATE_DIR_NAME, TEMPLATE_FILE)} shipped` };
  const info = JSON.parse(readFileSync(join(templateDir, TEMPLATE_INFO), 'utf8')) as TemplateInfo;
  const installed = installedPgliteVersion();
  if (info.pglite !== installed) return { usable: false, reason: `it was made with PGlite ${info.pglite} and ${installed} is installed` };
  return { usable: true, dir: templateDir };
}

/**
 * Copies the template into `dataDir` (which holds no database yet), each file written and flushed to
 * disk, PG_VERSION last: a copy cut short by a crash is not taken for a database, and is redone.
 * Streamed, so the copy never holds more than a chunk: memory the allocator took for a 40 MB
 * buffer would stay in the process.
 */
export async function copyTemplate(templateDir: string, dataDir: string): Promise<void> {
  const dirs = new Set<string>([dataDir]);
  const written: string[] = [];
  let completeMark: { path: string; mode: number; data: Buffer[] } | null = null;
  const source = createReadStream(join(templateDir, TEMPLATE_FILE)).pipe(createBrotliDecompress());
  await readTarStream(source, (entry) => {
    const path = resolve(dataDir, entry.name);
    if (relative(dataDir, path).startsWith('..')) throw new Error(`The data directory template holds a path outside it: ${entry.name}`);
    if (entry.type === 'dir') {
      mkdirSync(path, { recursive: true, mode: entry.mode });
      dirs.add(path);
      return null;
    }
    mkdirSync(dirname(path), { recursive: true });
    dirs.add(dirname(path));
    if (entry.name === COMPLETE_MARK) {
      const mark = { path, mode: entry.mode, data: [] as Buffer[] };
      completeMark = mark;
      return { write: (chunk) => void mark.data.push(Buffer.from(chunk)), end: () => undefined };
    }
    const fd = openSync(path, 'w', entry.mode);
    written.push(path);
    return { write: (chunk) => writeAll(fd, chunk), end: () => closeSync(fd) };
  });
  // One fsync per file, several at a time: one after another they took seconds.
  await flushAll([...written, ...dirs]);
  const mark = completeMark as { path: string; mode: number; data: Buffer[] } | null;
  if (!mark) throw new Error(`The data directory template has no ${COMPLETE_MARK}`);
  writeDurably(mark.path, Buffer.concat(mark.data), mark.mode);
  syncDir(dataDir);
}

/** Packs `dataDir` (a cleanly closed PGlite database) as the template, into `templateDir`. */
export function writeTemplate(dataDir: string, templateDir: string, info: TemplateInfo): void {
  const entries = listFiles(dataDir);
  const tar = writeTar(entries);
  mkdirSync(templateDir, { recursive: true });
  const packed = brotliCompressSync(tar, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: tar.length } });
  writeDurably(join(templateDir, TEMPLATE_FILE), packed, 0o644);
  writeDurably(join(templateDir, TEMPLATE_INFO), Buffer.from(`${JSON.stringify(info, null, 2)}\n`), 0o644);
}

function writeAll(fd: number, data: Buffer): void {
  for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset, data.length - offset);
}

function writeDurably(path: string, data: Buffer, mode: number): void {
  const fd = openSync(path, 'w', mode);
  try {
    writeAll(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function flushAll(paths: string[], concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const handle = await open(paths[next++], 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface TarEntry {
  name: string;
  type: 'file' | 'dir';
  mode: number;
  data: Buffer;
}

function listFiles(root: string, under = ''): TarEntry[] {
  const out: TarEntry[] = [];
  for (const name of readdirSync(join(root, under)).sort()) {
    const rel = under ? `${under}/${name}` : name;
    const stat = statSync(join(root, rel));
    if (stat.isDirectory()) {
      out.push({ name: rel, type: 'dir', mode: stat.mode & 0o777, data: Buffer.alloc(0) });
      out.push(...listFiles(root, rel));
    } else if (stat.isFile()) {
      out.push({ name: rel, type: 'file', mode: stat.mode & 0o777, data: readFileSync(join(root, rel)) });
    }
  }
  return out;
}

/** A minimal POSIX ustar writer and reader: regular files and folders, names under 100 bytes. */
const BLOCK = 512;

export function writeTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (Buffer.byteLength(entry.name) >= 100) throw new Error(`Name too long for the template: ${entry.name}`);
    const header = Buffer.alloc(BLOCK);
    header.write(entry.name, 0, 100, 'utf8');
    header.write(octal(entry.mode, 8), 100);
    header.write(octal(0, 8), 108);
    header.write(octal(0, 8), 116);
    header.write(octal(entry.type === 'file' ? entry.data.length : 0, 12), 124);
    header.write(octal(0, 12), 136);
    header.write('        ', 148);
    header.write(entry.type === 'file' ? '0' : '5', 156);
    header.write('ustar\u000000', 257, 'latin1');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
    parts.push(header);
    if (entry.type === 'file') {
      parts.push(entry.data);
      const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

interface EntrySink {
  write(chunk: Buffer): void;
  end(): void;
}

/** Reads a tar stream, handing each entry to `open`, and each file's bytes to the sink it returns. */
export async function readTarStream(source: AsyncIterable<Buffer>, open: (entry: Omit<TarEntry, 'data'>) => EntrySink | null): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let file: { sink: EntrySink | null; remaining: number } | null = null;
  let skip = 0;
  let ended = false;
  for await (const chunk of source) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (!ended) {
      if (file) {
        const n = Math.min(file.remaining, pending.length);
        if (n > 0) file.sink?.write(pending.subarray(0, n));
        file.remaining -= n;
        pending = pending.subarray(n);
        if (file.remaining > 0) break;
        file.sink?.end();
        file = null;
      }
      if (skip > 0) {
        const n = Math.min(skip, pending.length);
        skip -= n;
        pending = pending.subarray(n);
        if (skip > 0) break;
      }
      if (pending.length < BLOCK) break;
      const header = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (header.every((b) => b === 0)) {
        ended = true;
        break;
      }
      const name = field(header, 0, 100);
      const size = parseInt(field(header, 124, 12) || '0', 8);
      const mode = parseInt(field(header, 100, 8) || '644', 8);
      const flag = String.fromCharCode(header[156]);
      if (flag === '5') {
        open({ name: name.replace(/\/$/, ''), type: 'dir', mode });
        continue;
      }
      if (flag !== '0' && flag !== '\u0000') throw new Error(`Unexpected entry in the data directory template: ${name} (type ${flag})`);
      file = { sink: open({ name, type: 'file', mode }), remaining: size };
      skip = (BLOCK - (size % BLOCK)) % BLOCK;
    }
  }
  if (file || !ended) throw new Error('The data directory template is cut short');
}

const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\u0000`;
const field = (header: Buffer, start: number, length: number) => header.toString('latin1', start, start + length).replace(/\u0000.*$/s, '').trim();
