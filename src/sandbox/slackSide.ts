/**
 * What Slack does when a person acts in the sandbox's page: it posts signed requests to Herald's
 * /slack/events (slash commands, clicks, modal submissions, events) exactly as Slack would, and
 * keeps what Slack shows only to that person (command answers, response_url replies).
 */
import { APP_ID, commandFields, eventEnvelope, type Workspace } from './payloads';
import { blockActionsPayload, type BlockAction } from './slack/interactions';
import type { SlackStub } from './slack/types';
import { form, signedPost, type SignedResponse } from './slackRequests';

/** A message only one person sees ("Only visible to you"). */
export interface Note {
  id: string;
  user: string;
  channel: string;
  ts: string;
  text?: string;
  blocks?: any[];
}

/** Where a click happened: a message (possibly one only its person sees) or a view (modal, Home tab). */
export type ClickSource = { channel: string; ts: string; noteId?: string } | { viewId: string; values?: Record<string, unknown> };

export interface SlackSideOptions {
  stub: SlackStub;
  /** Herald's /slack/events, known once it listens. */
  eventsUrl: () => string;
  signingSecret: string;
  now: () => Date;
  /** The workspace's people, for the names Slack puts beside their ids. */
  people: Array<{ id: string; name: string }>;
  domain?: string;
}

export class SlackSide {
  readonly notes: Note[] = [];
  /** `${channel}/${ts}` → emoji name → people who reacted. */
  readonly reactions = new Map<string, Map<string, Set<string>>>();
  /** Field errors Herald answered for a view, shown until the view changes. */
  readonly viewErrors = new Map<string, { hash: string; errors: Record<string, string> }>();
  /** What went wrong lately, shown on the page (a refused answer, Herald not answering). */
  readonly problems: string[] = [];
  private readonly responseOrigins = new Map<string, { user: string; channel: string; noteId?: string }>();
  private seenResponses = 0;
  private seq = 0;
  private readonly ws: Workspace;

  constructor(private readonly o: SlackSideOptions) {
    this.ws = { teamId: o.stub.teamId, botUserId: o.stub.botUserId, domain: o.domain ?? 'herald-sandbox' };
  }

  /** The person-only notes and the reactions, to be written down. */
  saved(): { notes: Note[]; reactions: Array<[string, Array<[string, string[]]>]> } {
    return { notes: this.notes, reactions: [...this.reactions].map(([key, byName]) => [key, [...byName].map(([name, users]) => [name, [...users]])]) };
  }

  restore(saved: { notes: Note[]; reactions: Array<[string, Array<[string, string[]]>]> }): void {
    this.forget();
    this.notes.push(...saved.notes);
    for (const [key, byName] of saved.reactions) this.reactions.set(key, new Map(byName.map(([name, users]) => [name, new Set(users)])));
    this.seq = saved.notes.reduce((max, n) => Math.max(max, Number(n.id.slice(1)) || 0), 0);
  }

  forget(): void {
    this.notes.length = 0;
    this.reactions.clear();
    this.viewErrors.clear();
    this.problems.length = 0;
    this.responseOrigins.clear();
    this.seenResponses = 0;
  }

  /** A person types `/incident <text>` in a channel. */
  async command(user: string, channel: string, text: string): Promise<void> {
    const responseUrl = this.responseUrl(user, channel);
    const fields = commandFields(this.ws, {
      user,
      userName: this.nameOf(user),
      channel,
      channelName: this.o.stub.channels.get(channel)?.name ?? 'directmessage',
      text,
      responseUrl,
      triggerId: this.o.stub.issueTrigger({ user }),
    });
    const res = await this.post(form(fields), 'application/x-www-form-urlencoded');
    this.noteFromAnswer(user, channel, res);
  }

  /** A person writes an ordinary message (Herald does not listen to those, but people read them). */
  message(user: string, channel: string, text: string, threadTs?: string): void {
    const c = this.o.stub.channels.get(channel);
    if (!c) throw new Error(`No channel ${channel}`);
    c.members.add(user);
    this.o.stub.addMessage({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
  }

  /** A reaction on a message: Slack tells Herald with a reaction_added event. */
  async react(user: string, channel: string, ts: string, reaction: string): Promise<void> {
    const key = `${channel}/${ts}`;
    const byName = this.reactions.get(key) ?? new Map<string, Set<string>>();
    const people = byName.get(reaction) ?? new Set<string>();
    if (people.has(user)) return;
    people.add(user);
    byName.set(reaction, people);
    this.reactions.set(key, byName);
    const message = this.o.stub.messagesIn(channel).find((m) => m.ts === ts);
    await this.event({ type: 'reaction_added', user, reaction, item: { type: 'message', channel, ts }, item_user: message?.user ?? user });
  }

  /** The person opens Herald's Home tab. */
  async openHome(user: string): Promise<void> {
    const home = this.o.stub.homeView(user);
    const dm = [...this.o.stub.channels.values()].find((c) => c.is_im && c.user === user);
    await this.event({ type: 'app_home_opened', user, channel: dm?.id ?? 'D0SANDBOX', tab: 'home', ...(home ? { view: home.view } : {}) });
  }

  /** A click on a button or a choice in a select (`action` as Slack puts it in `actions[]`). */
  async act(user: string, source: ClickSource, action: BlockAction): Promise<void> {
    const common = { user, userName: this.nameOf(user), domain: this.ws.domain, action, actionTs: this.messageTs() };
    if ('viewId' in source) {
      if (!this.o.stub.views.get(source.viewId)) throw new Error('That view is no longer open');
      const payload = blockActionsPayload(this.o.stub, { ...common, where: { viewId: source.viewId, state: (source.values ?? {}) as Record<string, Record<string, unknown>> } });
      await this.post(form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
      return;
    }
    const message = source.noteId ? undefined : this.o.stub.messagesIn(source.channel).find((m) => m.ts === source.ts);
    const payload = blockActionsPayload(this.o.stub, {
      ...common,
      responseUrl: this.responseUrl(user, source.channel, source.noteId),
      where: {
        channel: source.channel,
        messageTs: source.ts,
        ephemeral: source.noteId !== undefined,
        channelName: this.o.stub.channels.get(source.channel)?.name ?? '',
        ...(message ? { message: { type: 'message', user: message.user, ts: message.ts, text: message.text ?? '', ...(message.blocks ? { blocks: message.blocks } : {}) } } : {}),
      },
    });
    const res = await this.post(form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
    if (res.status !== 200) this.problem(`Herald answered ${res.status} to a click`);
  }

  /** The person submits a modal with `values` (Slack's view.state.values); Slack applies Herald's answer. */
  async submit(user: string, viewId: string, values: Record<string, unknown>): Promise<void> {
    const stored = this.o.stub.views.get(viewId);
    if (!stored) throw new Error('That view is no longer open');
    const payload = {
      type: 'view_submission',
      team: { id: this.ws.teamId, domain: this.ws.domain },
      user: { id: user, username: this.nameOf(user), name: this.nameOf(user), team_id: this.ws.teamId },
      api_app_id: APP_ID,
      trigger_id: this.o.stub.issueTrigger({ user, viewId }),
      view: { ...stored.view, state: { values } },
    };
    const res = await this.post(form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
    if (res.status !== 200) return this.problem(`Herald answered ${res.status} to the form; Slack would show "We had some trouble connecting"`);
    const outcome = this.o.stub.answerSubmission(viewId, res.json);
    if (outcome.kind === 'errors') this.viewErrors.set(viewId, { hash: stored.hash, errors: outcome.errors });
    else this.viewErrors.delete(viewId);
    if (outcome.kind === 'refused') this.problem(`Slack refused Herald's answer to the form: ${outcome.problems.join('; ')}`);
  }

  /** Slack's response_url replies become notes for the person who acted (or replace the note acted on). */
  collectResponses(): void {
    const all = this.o.stub.responses;
    for (; this.seenResponses < all.length; this.seenResponses += 1) {
      const { url, body } = all[this.seenResponses]!;
      const origin = this.responseOrigins.get(url);
      if (!origin) continue;
      const target = origin.noteId ? this.notes.findIndex((n) => n.id === origin.noteId) : -1;
      if (body.delete_original === true && target >= 0) {
        this.notes.splice(target, 1);
        continue;
      }
      const content = { ...(body.text !== undefined ? { text: body.text } : {}), ...(body.blocks ? { blocks: body.blocks } : {}) };
      if (body.replace_original === true && target >= 0) this.notes[target] = { ...this.notes[target]!, text: undefined, blocks: undefined, ...content };
      else if (body.response_type === 'in_channel') this.o.stub.addMessage({ channel: origin.channel, user: this.ws.botUserId, ...content });
      else this.addNote(origin.user, origin.channel, content);
    }
  }

  private noteFromAnswer(user: string, channel: string, res: SignedResponse): void {
    if (res.status !== 200) return this.problem(`Herald answered ${res.status}; Slack would show "operation_timeout"`);
    const body = res.json ?? (res.text ? { text: res.text } : null);
    if (body && (body.text || body.blocks)) this.addNote(user, channel, { ...(body.text ? { text: body.text } : {}), ...(body.blocks ? { blocks: body.blocks } : {}) });
  }

  private addNote(user: string, channel: string, content: { text?: string; blocks?: any[] }): void {
    this.notes.push({ id: `N${++this.seq}`, user, channel, ts: this.messageTs(), ...content });
  }

  private responseUrl(user: string, channel: string, noteId?: string): string {
    const url = this.o.stub.responseUrl();
    this.responseOrigins.set(url, { user, channel, ...(noteId ? { noteId } : {}) });
    return url;
  }

  private async event(event: Record<string, unknown>): Promise<void> {
    const nowSeconds = Math.floor(this.o.now().getTime() / 1000);
    const body = eventEnvelope(this.ws, event, `EvSANDBOX${Date.now()}${++this.seq}`, nowSeconds);
    const res = await this.post(JSON.stringify(body), 'application/json');
    if (res.status !== 200) this.problem(`Herald answered ${res.status} to a ${String(event.type)} event`);
  }

  private post(body: string, contentType: string): Promise<SignedResponse> {
    // Signed with real time: Herald refuses a signature more than five minutes from its own clock.
    return signedPost(this.o.eventsUrl(), body, contentType, { secret: this.o.signingSecret });
  }

  private problem(text: string): void {
    this.problems.push(text);
    if (this.problems.length > 5) this.problems.shift();
  }

  private nameOf(user: string): string {
    return this.o.people.find((p) => p.id === user)?.name ?? user;
  }

  private messageTs(): string {
    return (this.o.now().getTime() / 1000).toFixed(6);
  }
}
