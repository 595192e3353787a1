import { byArea, summaryLine, type Finding, type FindingLevel } from '../../doctor/findings';
import type { KnownBlock, MessageContent } from './kit';
import { LIMITS, mrkdwn } from './text';

const MARK: Record<FindingLevel, string> = { problem: ':x:', ok: ':white_check_mark:', note: ':information_source:' };

const lineOf = (f: Finding) => `${MARK[f.level]} ${f.text}${f.fix ? `\n      → ${f.fix}` : ''}`;

/** Lines packed into section texts of at most `max` characters (a longer single line is cut). */
function pack(lines: string[], max: number): string[] {
  const texts: string[] = [];
  for (const line of lines) {
    const last = texts[texts.length - 1];
    if (last !== undefined && last.length + 1 + line.length <= max) texts[texts.length - 1] = `${last}\n${line}`;
    else texts.push(line);
  }
  return texts;
}

/**
 * `/incident doctor`'s answer: the summary, then each area with its findings (problems first, each with
 * its fix). Within one message's 50 blocks and 3,000 characters a section; what does not fit is counted.
 */
export function doctorMessage(findings: readonly Finding[]): MessageContent {
  const summary = summaryLine(findings);
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(`*Herald setup check* — ${summary}`) }];
  const room = LIMITS.messageBlocks - 2; // the summary, and a closing line if something is left out
  let left = 0;
  for (const group of byArea(findings)) {
    const sections = pack([`*${group.area}*`, ...group.findings.map(lineOf)], LIMITS.sectionText);
    for (const text of sections) {
      if (blocks.length <= room) blocks.push({ type: 'section', text: mrkdwn(text) });
      else left += text.split('\n').filter((l) => l.startsWith(':')).length;
    }
  }
  if (left > 0) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${left} more findings: run \`npm run doctor\` where Herald runs for all of them.`)] });
  return { text: `Herald setup check: ${summary}`, blocks };
}
