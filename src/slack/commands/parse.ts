import { SUBCOMMANDS } from '../blocks/help';

export interface ParsedCommand {
  /** The subcommand, lowercased; '' for a bare `/incident`. */
  name: string;
  /** Everything after the subcommand, trimmed, as typed. */
  rest: string;
  args: string[];
}

const ALIASES: Record<string, string> = { severity: 'sev', '?': 'help', new: 'declare', ls: 'list' };

export function parseCommandText(text: string): ParsedCommand {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { name: '', rest: '', args: [] };
  const word = match[1].toLowerCase();
  // `/incident SEV2` means `/incident sev 2`.
  const sevShorthand = /^sev([1-4])$/.exec(word);
  if (sevShorthand) return { name: 'sev', rest: sevShorthand[1], args: [sevShorthand[1]] };
  const rest = match[2].trim();
  return { name: ALIASES[word] ?? word, rest, args: rest ? rest.split(/\s+/) : [] };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The known subcommand nearest to a mistyped one, when it is near enough to be a likely typo. */
export function closestSubcommand(word: string): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of Object.keys(SUBCOMMANDS)) {
    const distance = name.startsWith(word) && word.length >= 2 ? 0 : editDistance(word, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : null;
}
