import type { IncidentChange } from '../../incidents/changes';
import { isReopening, type Incident } from '../../incidents/model';
import { SEVERITY_DESCRIPTIONS, severityRank } from '../../incidents/severity';
import { capitalize, escapeMrkdwn, LIMITS, mrkdwn, userMention } from './text';
import type { MessageContent } from './kit';

const ROLE_WORDS = { commander: 'the incident commander', comms: 'the comms lead', scribe: 'the scribe' } as const;

/** One line saying who changed what, e.g. ":arrow_up: <@U1> raised the severity from SEV3 to *SEV1*". */
export function changeLine(change: IncidentChange, actorId: string): string {
  const who = userMention(actorId);
  switch (change.change) {
    case 'status':
      if (isReopening(change.from, change.to)) return `:arrows_counterclockwise: ${who} reopened the incident — status is *${capitalize(change.to)}*`;
      if (change.to === 'resolved') return `:white_check_mark: ${who} resolved the incident`;
      return `:arrow_right: ${who} changed the status from ${capitalize(change.from)} to *${capitalize(change.to)}*`;
    case 'severity': {
      const raised = severityRank(change.to) < severityRank(change.from);
      return `${raised ? ':arrow_up:' : ':arrow_down:'} ${who} ${raised ? 'raised' : 'lowered'} the severity from ${change.from} to *${change.to}* (${SEVERITY_DESCRIPTIONS[change.to]})`;
    }
    case 'role': {
      const was = change.previousUserId ? ` (was ${userMention(change.previousUserId)})` : '';
      return `:bust_in_silhouette: ${who} made ${userMention(change.userId)} ${ROLE_WORDS[change.role]}${was}`;
    }
    case 'closed':
      return `:lock: ${who} closed the incident`;
    case 'deployment':
      return `:rocket: Reported just now: *${escapeMrkdwn(change.service)}* \`${escapeMrkdwn(change.version)}\` was deployed shortly before this incident was declared`;
  }
}

/** The line posted in the incident channel for a change. */
export function changeNote(change: IncidentChange, actorId: string): MessageContent {
  const line = changeLine(change, actorId);
  return { text: line, blocks: [{ type: 'section', text: mrkdwn(line, LIMITS.sectionText) }] };
}

/** The reply under the announcement, for the changes the organisation should hear about. */
export function announcementReply(incident: Incident, change: IncidentChange, actorId: string): MessageContent {
  const line = `*Incident #${incident.number}:* ${changeLine(change, actorId)}`;
  return { text: line, blocks: [{ type: 'section', text: mrkdwn(line, LIMITS.sectionText) }] };
}
