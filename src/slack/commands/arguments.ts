import { UserFacingError } from '../../errors';
import { ROLES, type Role } from '../../incidents/model';
import { DEFAULT_WINDOW, isWindowName, WINDOWS, type WindowName } from '../../insights/model';
import { parseSeverity, type Severity } from '../../incidents/severity';
import { usageOf } from '../blocks/help';
import { CHOOSABLE_STATUSES } from '../blocks/changeModals';

/** Strict parsing of subcommand arguments: a value, or one line saying what is wrong with them. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export type ChoosableStatus = (typeof CHOOSABLE_STATUSES)[number];

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Shows a typed argument back without letting it format or mention anything. */
const shown = (word: string) => `\`${word.replace(/`/g, "'").slice(0, 40)}\``;

/** The value, or a UserFacingError with the reason and the subcommand's usage. */
export function valid<T>(subcommand: string, parsed: Parsed<T>): T {
  if (parsed.ok) return parsed.value;
  throw new UserFacingError(`${parsed.reason} Usage: \`${usageOf(subcommand)}\``);
}

export function parseStatusArgs(args: string[]): Parsed<ChoosableStatus> {
  if (args.length === 0) return bad('Say which status.');
  if (args.length > 1) return bad('Give one status.');
  const word = args[0].toLowerCase();
  if (word === 'closed' || word === 'close') return bad('Closing has its own command: `/incident close`.');
  const status = CHOOSABLE_STATUSES.find((s) => s === word);
  return status ? ok(status) : bad(`${shown(args[0])} is not a status.`);
}

/** `2`, `sev2`, `SEV 2`: the text after `sev`/`severity`. */
export function parseSeverityArgs(rest: string): Parsed<Severity> {
  if (!rest.trim()) return bad('Say which severity, 1 (critical) to 4 (low).');
  const severity = parseSeverity(rest);
  return severity ? ok(severity) : bad(`${shown(rest.trim())} is not a severity: use 1 (critical) to 4 (low).`);
}

/** `<@U123>` or Slack's escaped `<@U123|name>`; null for anything else. */
export function parseUserMention(word: string): string | null {
  const match = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word);
  return match ? match[1] : null;
}

export function parseRoleArgs(args: string[]): Parsed<{ role: Role; userId: string }> {
  if (args.length < 2) return bad('Say which role and who.');
  if (args.length > 2) return bad('Give one role and one person.');
  const role = ROLES.find((r) => r === args[0].toLowerCase());
  if (!role) return bad(`${shown(args[0])} is not a role: use commander, comms or scribe.`);
  const userId = parseUserMention(args[1]);
  if (!userId) return bad(`${shown(args[1])} is not a person: mention them with @ so Slack links the name.`);
  return ok({ role, userId });
}

/** For subcommands that take nothing (`resolve`, `close`, `timeline`). */
export function parseNoArgs(args: string[]): Parsed<null> {
  return args.length === 0 ? ok(null) : bad('This subcommand takes no arguments.');
}

export interface InsightsArgs {
  window: WindowName;
  /** The service as typed; absent for the whole workspace. */
  service?: string;
}

/** `[7d|30d|90d] [service]`: a window first if given (30d when not), then any service name. */
export function parseInsightsArgs(args: string[]): Parsed<InsightsArgs> {
  const [first, ...others] = args;
  if (first === undefined) return ok({ window: DEFAULT_WINDOW });
  const word = first.toLowerCase();
  if (isWindowName(word)) return ok({ window: word, ...(others.length > 0 ? { service: others.join(' ') } : {}) });
  // Something shaped like a period ("14d", "2w", "7") is a window Herald does not measure, not a service.
  if (/^\d+[a-z]*$/.test(word)) return bad(`${shown(first)} is not a window: use ${WINDOWS.join(', ')}.`);
  return ok({ window: DEFAULT_WINDOW, service: args.join(' ') });
}
