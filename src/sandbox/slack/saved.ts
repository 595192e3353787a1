/**
 * A workspace written down and read back: channels (with members, pins, topics), DMs, messages,
 * views and uploaded files — so a sandbox restarted on the same DATA_DIR finds the Slack side that
 * Herald's data refers to. Triggers are not kept: Slack's expire in seconds anyway.
 */
import type { StubChannel, StubFile, StubMessage, StubView } from './types';

export interface SavedWorkspace {
  version: 1;
  channels: Array<Omit<StubChannel, 'members'> & { members: string[] }>;
  messages: StubMessage[];
  views: StubView[];
  files: Array<Omit<StubFile, 'bytes'> & { bytes: string | null }>;
  dms: Array<[string, string]>;
  externalIds: Array<[string, string]>;
  homeViews: Array<[string, string]>;
  seq: number;
  lastTsMicros: number;
}

export interface WorkspaceState {
  channels: Map<string, StubChannel>;
  messages: StubMessage[];
  views: Map<string, StubView>;
  files: Map<string, StubFile>;
  dms: Map<string, string>;
  externalIds: Map<string, string>;
  homeViews: Map<string, string>;
  seq: number;
  lastTsMicros: number;
}

export function saveWorkspace(w: WorkspaceState): SavedWorkspace {
  return {
    version: 1,
    channels: [...w.channels.values()].map((c) => ({ ...c, members: [...c.members] })),
    messages: w.messages,
    views: [...w.views.values()],
    files: [...w.files.values()].map((f) => ({ ...f, bytes: f.bytes ? f.bytes.toString('base64') : null })),
    dms: [...w.dms],
    externalIds: [...w.externalIds],
    homeViews: [...w.homeViews],
    seq: w.seq,
    lastTsMicros: w.lastTsMicros,
  };
}

/** Fills `w` (already emptied) from what was saved; returns the counters to carry on from. */
export function loadWorkspace(w: WorkspaceState, saved: SavedWorkspace): { seq: number; lastTsMicros: number } {
  if (saved.version !== 1) throw new Error(`Unknown saved workspace version ${String(saved.version)}`);
  for (const c of saved.channels) w.channels.set(c.id, { ...c, members: new Set(c.members) });
  w.messages.push(...saved.messages);
  // A view's stack is shared by every view in it: rebuild one array per stack.
  const stacks = new Map<string, string[]>();
  for (const v of saved.views) {
    const key = v.stack.join(',');
    if (!stacks.has(key)) stacks.set(key, [...v.stack]);
    w.views.set(v.id, { ...v, stack: stacks.get(key)! });
  }
  for (const f of saved.files) w.files.set(f.id, { ...f, bytes: f.bytes === null ? null : Buffer.from(f.bytes, 'base64') });
  for (const [k, v] of saved.dms) w.dms.set(k, v);
  for (const [k, v] of saved.externalIds) w.externalIds.set(k, v);
  for (const [k, v] of saved.homeViews) w.homeViews.set(k, v);
  return { seq: saved.seq, lastTsMicros: saved.lastTsMicros };
}
