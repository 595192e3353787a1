/**
 * OAuth scopes, as Slack checks them: each Web API method needs one scope of a family that depends on
 * the kind of conversation it touches (public channel, private channel, DM, group DM). A token without
 * it gets `missing_scope`. The stand-in grants the scopes manifest.yml asks for, so a scope the app
 * needs but the manifest lacks fails the scenario that needs it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { StubChannel } from './types';

type Kind = 'public' | 'private' | 'im' | 'mpim';

/**
 * A method's scopes: for each variant of a call (usually the kind of conversation it touches), the
 * scopes of which any one will do; `variants` says which variants a given call needs, all of them.
 */
interface Rule {
  scopes: Record<string, string[]>;
  variants: (args: Record<string, any>, channelKind: (id: string) => Kind) => string[];
}

const fixed = (...scopes: string[]): Rule => ({ scopes: { any: scopes }, variants: () => ['any'] });
const byChannel = (scopes: Record<Kind, string[]>): Rule => ({
  scopes,
  variants: (args, channelKind) => [channelKind(String(args.channel ?? args.channel_id ?? ''))],
});
const READ = byChannel({ public: ['channels:read'], private: ['groups:read'], im: ['im:read'], mpim: ['mpim:read'] });
const HISTORY = byChannel({ public: ['channels:history'], private: ['groups:history'], im: ['im:history'], mpim: ['mpim:history'] });
/** Changing a channel: the broad scope, or the granular one Slack also accepts. */
const MANAGE = (granular: string): Rule =>
  byChannel({ public: ['channels:manage', `channels:${granular}`], private: ['groups:write', `groups:${granular}`], im: ['im:write'], mpim: ['mpim:write', `mpim:${granular}`] });
const LIST_TYPES: Record<string, Kind> = { public_channel: 'public', private_channel: 'private', im: 'im', mpim: 'mpim' };

/** Scopes of the methods the stand-in serves (Slack's method reference, "Required scopes"). */
export const METHOD_SCOPES: Record<string, Rule> = {
  'auth.test': fixed(),
  'users.info': fixed('users:read'),
  'chat.postMessage': fixed('chat:write'),
  'chat.update': fixed('chat:write'),
  'chat.postEphemeral': fixed('chat:write'),
  'chat.getPermalink': fixed(),
  'pins.add': fixed('pins:write'),
  'bookmarks.add': fixed('bookmarks:write'),
  'bookmarks.list': fixed('bookmarks:read'),
  'files.getUploadURLExternal': fixed('files:write'),
  'files.completeUploadExternal': fixed('files:write'),
  'views.open': fixed(),
  'views.push': fixed(),
  'views.update': fixed(),
  'views.publish': fixed(),
  'conversations.create': {
    scopes: { public: ['channels:manage'], private: ['groups:write'] },
    variants: (args) => [['true', '1'].includes(String(args.is_private)) ? 'private' : 'public'],
  },
  'conversations.invite': MANAGE('write.invites'),
  'conversations.setTopic': MANAGE('write.topic'),
  'conversations.setPurpose': MANAGE('write.topic'),
  'conversations.archive': byChannel({ public: ['channels:manage'], private: ['groups:write'], im: ['im:write'], mpim: ['mpim:write'] }),
  'conversations.info': READ,
  'conversations.members': READ,
  'conversations.history': HISTORY,
  'conversations.replies': HISTORY,
  'conversations.open': { scopes: { im: ['im:write'], mpim: ['mpim:write'] }, variants: (args) => [String(args.users ?? '').split(',').length > 1 ? 'mpim' : 'im'] },
  // Every requested type needs its read scope.
  'conversations.list': {
    scopes: READ.scopes,
    variants: (args) => String(args.types || 'public_channel').split(',').map((t) => LIST_TYPES[t.trim()] ?? 'public'),
  },
};

function ruleOf(method: string): Rule {
  const rule = Object.hasOwn(METHOD_SCOPES, method) ? METHOD_SCOPES[method] : undefined;
  // A method missing here is the stand-in's own gap: fail loudly rather than let any token through.
  if (rule === undefined) throw new Error(`slack stand-in: no scopes known for ${method}`);
  return rule;
}

export function kindOf(c: StubChannel | undefined): Kind {
  if (!c) return 'public';
  if (c.is_im) return 'im';
  if (c.is_mpim) return 'mpim';
  return c.is_private ? 'private' : 'public';
}

/** The scope a call lacks (what Slack reports as `needed`), or undefined when the token may make it. */
export function missingScope(method: string, args: Record<string, any>, granted: ReadonlySet<string>, channelKind: (id: string) => Kind): string | undefined {
  const rule = ruleOf(method);
  for (const variant of rule.variants(args, channelKind)) {
    const options = rule.scopes[variant] ?? [];
    if (options.length > 0 && !options.some((s) => granted.has(s))) return options[0];
  }
  return undefined;
}

/** Every scope a method can need, whatever it is called on. */
export function scopesOf(method: string): string[] {
  return [...new Set(Object.values(ruleOf(method).scopes).flat())];
}

export interface AppManifest {
  botScopes: string[];
  botEvents: string[];
  /** `features.app_home`: which tabs of the app's App Home are on. */
  tabs: { home: boolean; messages: boolean };
  raw: any;
}

/** The project's manifest.yml: the nearest one above this file, from src/ under ts-jest or dist/src/ when built. */
function projectManifest(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'manifest.yml');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`No manifest.yml above ${__dirname}`);
  }
}

/** A string field's length bounds in Slack's manifest schema (slackapi/manifest-schema, v1). */
const LENGTHS: Array<{ field: string; values: (raw: any) => unknown[]; min: number; max: number }> = [
  { field: 'display_information.name', values: (r) => [r?.display_information?.name], min: 1, max: 35 },
  { field: 'display_information.description', values: (r) => [r?.display_information?.description], min: 1, max: 140 },
  { field: 'features.bot_user.display_name', values: (r) => [r?.features?.bot_user?.display_name], min: 1, max: 80 },
  { field: 'features.slash_commands[].command', values: (r) => (r?.features?.slash_commands ?? []).map((c: any) => c.command), min: 2, max: 32 },
  { field: 'features.slash_commands[].description', values: (r) => (r?.features?.slash_commands ?? []).map((c: any) => c.description), min: 1, max: 2000 },
  { field: 'features.slash_commands[].usage_hint', values: (r) => (r?.features?.slash_commands ?? []).map((c: any) => c.usage_hint), min: 1, max: 1000 },
];

/** What Slack would refuse when creating the app from this manifest (length limits), as messages. */
export function manifestProblems(raw: any): string[] {
  const problems: string[] = [];
  for (const { field, values, min, max } of LENGTHS) {
    for (const value of values(raw)) {
      if (value === undefined) continue;
      const length = typeof value === 'string' ? [...value].length : -1;
      if (length < min || length > max) problems.push(`${field} must be a string of ${min} to ${max} characters (it has ${length})`);
    }
  }
  for (const c of raw?.features?.slash_commands ?? []) if (!String(c.command ?? '').startsWith('/')) problems.push(`features.slash_commands[].command must start with "/"`);
  return problems;
}

/** The app's manifest.yml, as Slack reads it; one Slack would refuse stops the stand-in. */
export function readManifest(path = projectManifest()): AppManifest {
  const raw = parse(readFileSync(path, 'utf8'));
  const problems = manifestProblems(raw);
  if (problems.length > 0) throw new Error(`Slack would refuse ${path}: ${problems.join('; ')}`);
  const appHome = raw?.features?.app_home ?? {};
  return {
    botScopes: raw?.oauth_config?.scopes?.bot ?? [],
    botEvents: raw?.settings?.event_subscriptions?.bot_events ?? [],
    // Slack's defaults when the manifest leaves them out: no Home tab, a Messages tab.
    tabs: { home: appHome.home_tab_enabled === true, messages: appHome.messages_tab_enabled !== false },
    raw,
  };
}
