import type { Config, SeverityDurations } from '../config';
import { formatDuration } from '../duration';
import { SEVERITIES } from '../incidents/severity';
import { fine, note, type Finding } from './findings';

function durations(d: SeverityDurations, each: string, off: string): string {
  return SEVERITIES.map((s) => `${s} ${d[s] === null ? off : `${each} ${formatDuration(d[s]!)}`}`).join(', ');
}

/** The time now in a zone, e.g. "Mon 09:12", so a wrong DIGEST_TZ shows at a glance. */
function nowIn(zone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
}

/** The settings that shape what people see, read back as Herald understood them. */
export function configurationFindings(config: Config, now: Date): Finding[] {
  const findings: Finding[] = [
    fine('Configuration', `Status updates are due (UPDATE_CADENCE): ${durations(config.updateCadence, 'every', 'never')}.`),
    fine('Configuration', `Reviews are due after resolution (REVIEW_DUE): ${durations(config.reviewDue, 'within', 'not required')}.`),
    fine('Configuration', `The scheduler looks for due work on \`${config.schedulerCron}\` (SCHEDULER_CRON), in UTC.`),
    fine('Configuration', config.slack.appToken ? 'Slack reaches Herald over Socket Mode (SLACK_APP_TOKEN).' : `Slack reaches Herald over HTTP on port ${config.port} (/slack/events).`),
  ];
  if (config.digest.channel) {
    findings.push(
      fine('Configuration', `The weekly digest goes out on \`${config.digest.cron}\` (DIGEST_CRON) read in ${config.digest.timeZone} (DIGEST_TZ), where it is now ${nowIn(config.digest.timeZone, now)}.`),
    );
  } else {
    findings.push(note('Configuration', 'No weekly risk digest: DIGEST_CHANNEL is not set.', 'Set DIGEST_CHANNEL to a channel ID to get one.'));
  }
  if (!config.announceChannel) {
    findings.push(note('Configuration', 'Incidents are not announced anywhere: ANNOUNCE_CHANNEL is not set.', 'Set ANNOUNCE_CHANNEL to the ID of the channel where incidents should be announced.'));
  }
  return findings;
}
