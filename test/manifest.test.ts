import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { manifestProblems, readManifest, scopesOf } from '../src/sandbox/slack/scopes';
import { SHORTCUTS } from '../src/slack/ids';
import { usageHint } from '../src/slack/blocks/help';
import { SUBCOMMAND_NAMES } from '../src/slack/commands';

/** Every source file of the app, read as text. */
function sources(dir = join(__dirname, '..', 'src')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

/** Scopes that no Web API call needs: the slash command, and reading the events Herald subscribes to. */
const SCOPES_FOR_SURFACES: Record<string, string> = { commands: 'the /incident command', 'reactions:read': 'the reaction_added event (📌)' };
/** Posting where Herald was not invited: public stakeholder channels take updates without adding the bot. */
const WIDENING_SCOPES = ['chat:write.public'];

describe('manifest.yml', () => {
  const manifest = readManifest();
  const code = sources().join('\n');

  it('creates /incident with users and channels escaped, interactivity and events on /slack/events', () => {
    const [command] = manifest.raw.features.slash_commands;
    expect(command).toMatchObject({ command: '/incident', should_escape: true, url: expect.stringMatching(/\/slack\/events$/) });
    expect(manifest.raw.settings.interactivity).toMatchObject({ is_enabled: true, request_url: expect.stringMatching(/\/slack\/events$/) });
    expect(manifest.raw.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
  });

  it('turns the Home tab on and keeps the Messages tab writable, which Herald’s DMs need', () => {
    expect(manifest.raw.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    expect(manifest.tabs).toEqual({ home: true, messages: true });
    expect(manifest.botEvents).toContain('app_home_opened');
  });

  it('offers exactly Herald’s message shortcuts, each with the callback_id it listens for', () => {
    const shortcuts = manifest.raw.features.shortcuts as Array<Record<string, string>>;
    expect(shortcuts.map((s) => s.callback_id).sort()).toEqual(Object.values(SHORTCUTS).sort());
    for (const s of shortcuts) {
      expect(s.type).toBe('message');
      // Slack's manifest limits: a name of at most 24 characters, a description of at most 150.
      expect(s.name.length).toBeLessThanOrEqual(24);
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.description.length).toBeLessThanOrEqual(150);
    }
  });

  it('subscribes to exactly the events Herald listens to', () => {
    const listened = [...code.matchAll(/app\.event\('([a-z_]+)'/g)].map((m) => m[1]).sort();
    expect(listened.length).toBeGreaterThan(0);
    expect([...manifest.botEvents].sort()).toEqual(listened);
  });

  it('asks for no scope that Herald has no use for', () => {
    const methods = new Set([...code.matchAll(/client\.([a-z]+\.[a-zA-Z]+)\(/g)].map((m) => m[1]));
    const usable = new Set([...[...methods].flatMap((m) => scopesOf(m)), ...Object.keys(SCOPES_FOR_SURFACES), ...WIDENING_SCOPES]);
    expect(manifest.botScopes.filter((s) => !usable.has(s))).toEqual([]);
  });

  it('is within the lengths Slack’s manifest schema allows, which the stand-in checks as Slack does', () => {
    expect(manifestProblems(manifest.raw)).toEqual([]);
    const tooLong = { features: { slash_commands: [{ command: '/incident', description: 'x', usage_hint: 'x'.repeat(1001) }] } };
    expect(manifestProblems(tooLong)).toEqual(['features.slash_commands[].usage_hint must be a string of 1 to 1000 characters (it has 1001)']);
  });

  it('hints every subcommand the command router answers while /incident is typed, so the hint cannot drift from the code', () => {
    const [command] = manifest.raw.features.slash_commands;
    expect(command.usage_hint).toBe(usageHint());
    for (const name of SUBCOMMAND_NAMES) expect(command.usage_hint.split(' | ').map((part: string) => part.split(' ')[0])).toContain(name);
  });
});
