/**
 * The sandbox's page and the API it calls, served on Herald's own port beside /slack/events:
 * GET /sandbox (the page), GET /sandbox/api/state?user=… (what that person sees), POST /sandbox/api/act.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { SandboxClock } from './clock';
import type { SlackStub } from './slack/types';
import type { SlackSide } from './slackSide';
import { snapshot } from './snapshot';

export interface SandboxControls {
  stub: SlackStub;
  side: SlackSide;
  clock: SandboxClock;
  people: Array<{ id: string; name: string; tz?: string }>;
  /** Moves the clock on and runs the scheduler once at the new time (prompts, reminders, the digest). */
  fastForward(ms: number): Promise<void>;
  /** Empties Herald's tables and the workspace, and puts the clock back. */
  reset(): Promise<void>;
}

const PAGE_FILES: Record<string, string> = {
  '/sandbox': 'index.html',
  '/sandbox/app.js': 'app.js',
  '/sandbox/blocks.js': 'blocks.js',
  '/sandbox/style.css': 'style.css',
};
const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };

/** The page's folder: beside this file under ts-jest, or src/sandbox/page above dist/ when built. */
export function pageDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'page'), join(dir, 'src', 'sandbox', 'page')]) if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`The sandbox page (src/sandbox/page) is not above ${__dirname}`);
  }
}

const user = z.string().regex(/^U[A-Z0-9]+$/);
const channel = z.string().regex(/^[CDG][A-Z0-9]+$/);
const ts = z.string().regex(/^\d+\.\d+$/);
const action = z.object({ type: z.string(), action_id: z.string(), block_id: z.string() }).passthrough();
const request = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), user, channel, text: z.string().max(4000) }),
  z.object({ kind: z.literal('message'), user, channel, text: z.string().min(1).max(4000), threadTs: ts.optional() }),
  z.object({ kind: z.literal('react'), user, channel, ts, reaction: z.string().regex(/^[a-z0-9_+-]+$/) }),
  z.object({ kind: z.literal('click'), user, channel, ts, noteId: z.string().optional(), action }),
  z.object({ kind: z.literal('viewAction'), user, viewId: z.string(), values: z.record(z.string(), z.unknown()), action }),
  z.object({ kind: z.literal('submit'), user, viewId: z.string(), values: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal('closeView'), user, viewId: z.string() }),
  z.object({ kind: z.literal('openHome'), user }),
  z.object({ kind: z.literal('fastForward'), minutes: z.number().int().min(1).max(60 * 24 * 14) }),
  z.object({ kind: z.literal('reset') }),
]);
export type SandboxRequest = z.infer<typeof request>;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1 << 20) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Carries out one thing a person did on the page. */
export async function perform(c: SandboxControls, r: SandboxRequest): Promise<void> {
  switch (r.kind) {
    case 'command':
      return c.side.command(r.user, r.channel, r.text.replace(/^\s*\/incident\b\s*/, ''));
    case 'message':
      return c.side.message(r.user, r.channel, r.text, r.threadTs);
    case 'react':
      return c.side.react(r.user, r.channel, r.ts, r.reaction);
    case 'click':
      return c.side.act(r.user, { channel: r.channel, ts: r.ts, ...(r.noteId ? { noteId: r.noteId } : {}) }, r.action);
    case 'viewAction':
      return c.side.act(r.user, { viewId: r.viewId, values: r.values }, r.action);
    case 'submit':
      return c.side.submit(r.user, r.viewId, r.values);
    case 'closeView':
      return c.stub.closeView(r.viewId);
    case 'openHome':
      return c.side.openHome(r.user);
    case 'fastForward':
      return c.fastForward(r.minutes * 60_000);
    case 'reset':
      return c.reset();
  }
}

export function sandboxRoutes(c: SandboxControls): CustomRoute[] {
  const dir = pageDir();
  const files: CustomRoute[] = Object.entries(PAGE_FILES).map(([path, file]) => ({
    path,
    method: ['GET'],
    handler: (_req, res) => {
      res.writeHead(200, { 'Content-Type': `${TYPES[file.split('.').pop()!]}; charset=utf-8`, 'Cache-Control': 'no-store' });
      res.end(readFileSync(join(dir, file)));
    },
  }));
  return [
    ...files,
    {
      path: '/sandbox/api/state',
      method: ['GET'],
      handler: (req, res) => {
        const me = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('user') || c.people[0]!.id;
        if (!c.people.some((p) => p.id === me)) return json(res, 400, { error: `no sample person ${me}` });
        json(res, 200, snapshot({ stub: c.stub, side: c.side, people: c.people, me, now: c.clock.now(), offsetMs: c.clock.offsetMs }));
      },
    },
    {
      // Files shared in messages (the digest's chart), as Slack would show them.
      path: '/sandbox/api/file',
      method: ['GET'],
      handler: (req, res) => {
        const id = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('id') ?? '';
        const file = c.stub.files.get(id);
        if (!file?.bytes || !file.completed) return json(res, 404, { error: 'no such file' });
        res.writeHead(200, { 'Content-Type': file.filename.endsWith('.png') ? 'image/png' : 'application/octet-stream', 'Cache-Control': 'no-store' });
        res.end(file.bytes);
      },
    },
    {
      path: '/sandbox/api/act',
      method: ['POST'],
      handler: async (req, res) => {
        let parsed;
        try {
          parsed = request.safeParse(await readJson(req));
        } catch {
          return json(res, 400, { error: 'the body is not JSON' });
        }
        if (!parsed.success) return json(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        const actor = 'user' in parsed.data ? parsed.data.user : undefined;
        if (actor !== undefined && !c.people.some((p) => p.id === actor)) return json(res, 400, { error: 'no such sample person' });
        try {
          await perform(c, parsed.data);
          json(res, 200, { ok: true });
        } catch (err) {
          json(res, 409, { error: err instanceof Error ? err.message : String(err) });
        }
      },
    },
  ];
}
