import { createHash } from 'node:crypto';
import type { ReviewContent } from './model';

/**
 * Wording that names a person as the cause of an incident. A blameless review asks what about our
 * systems and conditions made a slip possible; these phrases usually mean the answer stopped at a person.
 * Kept short and specific: a hint that fires on ordinary prose ("fault tolerance") would be ignored.
 */
const BLAME_PATTERNS: RegExp[] = [
  /\bhuman[- ]error\b/i,
  /\boperator[- ]error\b/i,
  /\b(?:should|shouldn['’]t|should not|ought to)(?: have|['’]ve)\b/i,
  /\bfat[- ]finger(?:ed|s)?\b/i,
  /\bcareless(?:ly|ness)?\b/i,
  /\bnegligen(?:t|ce)\b/i,
  /\b(?:his|her|their|someone['’]s|somebody['’]s)\s+(?:fault|mistake|error|blunder)\b/i,
  /\b(?:someone|somebody|he|she)\s+(?:broke|forgot|messed up|screwed up|failed to|didn['’]t|did not)\b/i,
  /\bto blame\b|\bblame[sd]?\s+(?:on|<@)/i,
  // A mention of a person next to what went wrong: "<@U123> broke", "caused by <@U123>".
  /<@[UW][A-Z0-9]+(?:\|[^>]*)?>(?:['’]s)?\s+(?:broke|caused|forgot|missed|messed|screwed|deleted|dropped|pushed|deployed|ran|failed|didn['’]t|did not|should|mistake|error|fault)/i,
  /\b(?:caused|broken|triggered|done)\s+by\s+<@[UW][A-Z0-9]+/i,
];

/** The fields of a review worth checking: free text a person writes. */
export const CHECKED_FIELDS = ['summary', 'impact', 'contributingFactors', 'wentWell', 'toImprove'] as const;
export type CheckedField = (typeof CHECKED_FIELDS)[number];

export interface BlameFinding {
  field: CheckedField;
  /** The words that read as blame, as written. */
  phrase: string;
}

/** The first blaming phrase in `text`, or null. */
export function findBlame(text: string): string | null {
  for (const pattern of BLAME_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return null;
}

export function findBlameInReview(content: ReviewContent): BlameFinding[] {
  const findings: BlameFinding[] = [];
  for (const field of CHECKED_FIELDS) {
    const phrase = findBlame(content[field]);
    if (phrase) findings.push({ field, phrase });
  }
  return findings;
}

/**
 * Identifies exactly the flagged wording. A person who was shown the hint and submits the same text
 * again has chosen to keep it: the fingerprint then matches the one remembered with the hint.
 */
export function blameFingerprint(content: ReviewContent, findings: BlameFinding[]): string {
  const flagged = findings.map((f) => `${f.field}\u0000${content[f.field]}`).join('\u0001');
  return createHash('sha256').update(flagged).digest('base64url').slice(0, 22);
}
