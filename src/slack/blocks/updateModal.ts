import type { StatusUpdate } from '../../comms/statusUpdateRepository';
import { formatDuration, parseDuration } from '../../duration';
import type { Incident, IncidentStatus } from '../../incidents/model';
import { UPDATE_ACTIONS as A, UPDATE_BLOCKS as B, VIEWS } from '../ids';
import { incidentLabel, severityBadge, statusLabel } from './incidentText';
import type { KnownBlock, ModalView, PlainTextOption } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, truncate } from './text';

export const IMPACT_MAX = 1500;
export const ACTIONS_MAX = 1500;
/** The "next update in" value meaning no promised time. */
export const NO_NEXT_UPDATE = 'none';
const NEXT_CHOICES = ['5m', '10m', '15m', '20m', '30m', '45m', '1h', '2h', '4h', '8h', '1d'].map((d) => parseDuration(d)!);

export type UpdatableStatus = Exclude<IncidentStatus, 'closed'>;

const STATUS_HINTS: Record<UpdatableStatus, string> = {
  investigating: 'Looking for the cause',
  identified: 'Cause known, fix in progress',
  monitoring: 'Fix applied, watching that it holds',
  resolved: 'Customers are no longer affected',
};

export interface UpdateModalMetadata {
  incidentId: number;
}

export interface UpdateModalInput {
  incident: Incident;
  /** The last update, to start from its wording. */
  previous: StatusUpdate | null;
  /** The severity's cadence: the default "next update in"; null when the severity has none. */
  cadenceMs: number | null;
  /** Where the update will go, in words. */
  audience: string;
}

const statusOption = (s: UpdatableStatus, reopen = false): PlainTextOption => ({
  text: plain(reopen ? 'Investigating (reopen)' : statusLabel({ status: s }), LIMITS.optionText),
  value: s,
  description: plain(STATUS_HINTS[s], LIMITS.optionText),
});

const nextOption = (ms: number | null): PlainTextOption =>
  ms === null ? { text: plain('No set time'), value: NO_NEXT_UPDATE } : { text: plain(formatDuration(ms)), value: formatDuration(ms) };

/** The status update modal: status, customer impact, what we are doing, next update in. Pure. */
export function updateModal(input: UpdateModalInput): ModalView {
  const { incident, previous } = input;
  const resolved = incident.status === 'resolved';
  const statuses = resolved
    ? [statusOption('investigating', true), statusOption('resolved')]
    : (['investigating', 'identified', 'monitoring', 'resolved'] as const).map((s) => statusOption(s));
  const current = statuses.find((o) => o.value === incident.status) ?? statuses[0];
  const durations = [...new Set([...NEXT_CHOICES, ...(input.cadenceMs ? [input.cadenceMs] : [])])].sort((a, b) => a - b);
  // "No set time" only where the severity has no cadence: otherwise the next update is always due.
  const nextOptions = [...(input.cadenceMs ? [] : [nextOption(null)]), ...durations.map(nextOption)].slice(0, LIMITS.staticOptions);
  const initialNext = nextOption(input.cadenceMs);
  const metadata: UpdateModalMetadata = { incidentId: incident.id };

  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(`*${escapeMrkdwn(truncate(incidentLabel(incident), 300))}* · ${severityBadge(incident)} · ${statusLabel(incident)}\nGoes to ${input.audience}.`),
    },
    { type: 'input', block_id: B.status, label: plain('Status'), element: { type: 'static_select', action_id: A.status, options: statuses, initial_option: current } },
    {
      type: 'input',
      block_id: B.impact,
      label: plain('Customer impact'),
      hint: plain('What customers notice, in words someone outside the incident understands.'),
      element: {
        type: 'plain_text_input',
        action_id: A.impact,
        multiline: true,
        max_length: IMPACT_MAX,
        placeholder: plain('e.g. Card payments fail for about 1 in 5 customers'),
        ...(previous ? { initial_value: truncate(previous.customerImpact, IMPACT_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.actions,
      label: plain('What we are doing'),
      element: {
        type: 'plain_text_input',
        action_id: A.actions,
        multiline: true,
        max_length: ACTIONS_MAX,
        placeholder: plain('e.g. Rolling back this morning’s release; next check at 14:30'),
        ...(previous ? { initial_value: truncate(previous.actions, ACTIONS_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.next,
      label: plain('Next update in'),
      hint: plain(input.cadenceMs ? `This severity’s cadence is ${formatDuration(input.cadenceMs)}; Herald reminds the comms lead when it is due.` : 'This severity has no update cadence.'),
      element: { type: 'static_select', action_id: A.next, options: nextOptions, initial_option: nextOptions.find((o) => o.value === initialNext.value) ?? nextOptions[0] },
    },
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.update,
    private_metadata: JSON.stringify(metadata),
    title: plain('Status update', LIMITS.modalTitle),
    submit: plain('Send update', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks,
  };
}
