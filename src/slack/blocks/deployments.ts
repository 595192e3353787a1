import type { Incident, LinkedDeployment } from '../../incidents/model';
import type { KnownBlock, MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, slackDate, truncate } from './text';

/** Deployments listed on the card; the channel message lists more. */
export const CARD_DEPLOYMENTS_MAX = 5;
/** Deployments listed in the channel message (one section each). */
export const MESSAGE_DEPLOYMENTS_MAX = 15;
/** One deployment's line without its link, at most. */
const LINE_MAX = 190;
/** A longer link is left out rather than cut (a cut link leads nowhere): a line stays under 400 characters, five on the card under 3,000. */
const URL_MAX = 180;

/** A link Slack will not misread: `|` and `>` would end the link early. */
const safeUrl = (url: string) => url.replace(/[|<>\s]/g, (c) => encodeURIComponent(c));

/** "• *Payments API* `v1.2.3` by alice, 10:05 — Faster retries (link)", cut to fit. */
export function deploymentLine(d: LinkedDeployment): string {
  const version = truncate(d.version.replace(/`/g, "'"), 40);
  const what = truncate(`${escapeMrkdwn(d.service)} ${'`'}${escapeMrkdwn(version)}${'`'}`, 110);
  const by = d.author ? ` by ${escapeMrkdwn(truncate(d.author, 30))}` : '';
  const summary = d.summary ? ` — ${escapeMrkdwn(truncate(d.summary, 60))}` : '';
  const url = d.url ? safeUrl(d.url) : '';
  const link = url && url.length <= URL_MAX ? ` <${url}|details>` : '';
  // Cut what people typed, never the date or link syntax.
  const head = `• *${what}*${by}, ${slackDate(d.deployedAt, '{time}')}`;
  return `${head}${truncate(summary, Math.max(0, LINE_MAX - head.length))}${link}`;
}

function listed(deployments: LinkedDeployment[], max: number): string[] {
  const lines = deployments.slice(0, max).map(deploymentLine);
  const more = deployments.length - lines.length;
  if (more > 0) lines.push(`_…and ${more} more_`);
  return lines;
}

/** The card's section on what was deployed shortly before the declaration; none when nothing was. */
export function cardDeploymentsBlock(deployments: LinkedDeployment[] | undefined): KnownBlock | null {
  if (!deployments || deployments.length === 0) return null;
  return { type: 'section', text: mrkdwn(`*Deployed shortly before*\n${listed(deployments, CARD_DEPLOYMENTS_MAX).join('\n')}`, LIMITS.sectionText) };
}

/** Posted once in the incident's channel at setup: the changes to look at first. */
export function recentDeploymentsMessage(incident: Pick<Incident, 'number'>, deployments: LinkedDeployment[]): MessageContent {
  const n = deployments.length;
  return {
    text: `${n} deployment${n === 1 ? '' : 's'} of the affected services shortly before incident #${incident.number} was declared`,
    blocks: [
      { type: 'section', text: mrkdwn(':rocket: *Deployed shortly before this incident* — a change is often the cause:') },
      ...listed(deployments, MESSAGE_DEPLOYMENTS_MAX).map((line): KnownBlock => ({ type: 'section', text: mrkdwn(line, LIMITS.sectionText) })),
      { type: 'context', elements: [mrkdwn('Reported by CI pipelines through `POST /deployments`. The review asks which of these, if any, caused it.')] },
    ],
  };
}
