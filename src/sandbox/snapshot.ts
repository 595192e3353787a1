/** What the page shows one person: the channels they see, their messages, notes, open modal and Home tab. */
import type { SlackStub, StubChannel } from './slack/types';
import type { SlackSide } from './slackSide';

export interface SnapshotInput {
  stub: SlackStub;
  side: SlackSide;
  people: Array<{ id: string; name: string; tz?: string }>;
  me: string;
  now: Date;
  offsetMs: number;
}

function visibleTo(c: StubChannel, me: string): boolean {
  if (c.is_im) return c.user === me;
  if (c.is_mpim || c.is_private) return c.members.has(me);
  return true;
}

export function snapshot(input: SnapshotInput) {
  const { stub, side, me } = input;
  side.collectResponses();
  const channels = [...stub.channels.values()].filter((c) => visibleTo(c, me));
  const ids = new Set(channels.map((c) => c.id));
  const messages = stub.messages
    .filter((m) => ids.has(m.channel))
    .map((m) => ({
      channel: m.channel,
      ts: m.ts,
      user: m.user,
      text: m.text ?? '',
      blocks: m.blocks ?? null,
      threadTs: m.thread_ts ?? null,
      edited: m.edited ?? false,
      pinned: stub.channels.get(m.channel)?.pins.includes(m.ts) ?? false,
      files: (m.files ?? []).map((f) => ({ name: f.name, title: f.title, id: f.id })),
      reactions: [...(side.reactions.get(`${m.channel}/${m.ts}`) ?? new Map<string, Set<string>>())].map(([name, users]) => ({ name, count: users.size, mine: users.has(me) })),
    }));
  const notes = [
    ...stub.ephemerals.filter((e) => e.user === me && ids.has(e.channel)).map((e) => ({ id: `E${e.ts}`, channel: e.channel, ts: e.ts, text: e.text ?? '', blocks: e.blocks ?? null, fromApi: true })),
    ...side.notes.filter((n) => n.user === me).map((n) => ({ id: n.id, channel: n.channel, ts: n.ts, text: n.text ?? '', blocks: n.blocks ?? null, fromApi: false })),
  ];
  const modals = [...stub.views.values()].filter((v) => v.view.type === 'modal' && v.user === me).sort((a, b) => (a.id < b.id ? -1 : 1));
  const top = modals.at(-1);
  const topOfStack = top ? stub.views.get(top.stack.at(-1)!) ?? top : undefined;
  const errors = topOfStack ? side.viewErrors.get(topOfStack.id) : undefined;
  const home = stub.homeView(me);
  return {
    now: input.now.toISOString(),
    offsetMinutes: Math.round(input.offsetMs / 60_000),
    me,
    bot: { id: stub.botUserId, name: 'Herald' },
    people: input.people,
    channels: channels.map((c) => ({
      id: c.id,
      name: c.is_im ? 'Herald' : c.name,
      kind: c.is_im ? 'dm' : c.is_private ? 'private' : 'channel',
      topic: c.topic,
      member: c.members.has(me),
      archived: c.is_archived ?? false,
    })),
    messages,
    notes,
    modal: topOfStack
      ? { id: topOfStack.id, hash: topOfStack.hash, view: topOfStack.view, depth: topOfStack.stack.length, errors: errors?.hash === topOfStack.hash ? errors.errors : {} }
      : null,
    home: home ? { id: home.id, hash: home.hash, view: home.view } : null,
    problems: [...side.problems],
  };
}
