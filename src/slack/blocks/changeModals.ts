import { ROLES, type Incident, type IncidentStatus, type Role } from '../../incidents/model';
import { SEVERITIES } from '../../incidents/severity';
import { CHANGE_ACTIONS as A, CHANGE_BLOCKS as B, VIEWS } from '../ids';
import { severityOption } from './declareModal';
import { incidentLabel, ROLE_LABELS, roleHolder, severityBadge, statusLabel } from './incidentText';
import type { KnownBlock, ModalView, PlainTextOption } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, truncate, userMention } from './text';

/** The statuses a person may choose; `closed` has its own command. */
export const CHOOSABLE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const satisfies readonly IncidentStatus[];

export const STATUS_DESCRIPTIONS: Record<(typeof CHOOSABLE_STATUSES)[number], string> = {
  investigating: 'Looking for the cause',
  identified: 'The cause is known; a fix is being worked on',
  monitoring: 'A fix is in; watching that it holds',
  resolved: 'Customers are no longer affected',
};

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  commander: 'Leads the response and decides',
  comms: 'Keeps stakeholders updated',
  scribe: 'Keeps the timeline',
};

/** What the change modals carry between opening and submission. */
export interface ChangeModalMetadata {
  incidentId: number;
}

function option(value: string, text: string, description: string): PlainTextOption {
  return { text: plain(text, LIMITS.optionText), value, description: plain(description, LIMITS.optionText) };
}

function modal(callbackId: string, title: string, incident: Incident, blocks: KnownBlock[]): ModalView {
  const metadata: ChangeModalMetadata = { incidentId: incident.id };
  const heading = `*${escapeMrkdwn(truncate(incidentLabel(incident), 300))}*\n${severityBadge(incident)} · ${statusLabel(incident)}`;
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify(metadata),
    title: plain(title, LIMITS.modalTitle),
    submit: plain('Save', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks: [{ type: 'section', text: mrkdwn(heading) }, ...blocks],
  };
}

export function statusModal(incident: Incident): ModalView {
  const options = CHOOSABLE_STATUSES.map((s) => option(s, statusLabel({ status: s }), STATUS_DESCRIPTIONS[s]));
  const current = options.find((o) => o.value === incident.status);
  return modal(VIEWS.status, 'Change status', incident, [
    {
      type: 'input',
      block_id: B.status,
      label: plain('Status'),
      element: { type: 'radio_buttons', action_id: A.status, options, ...(current ? { initial_option: current } : {}) },
    },
  ]);
}

export function severityModal(incident: Incident): ModalView {
  return modal(VIEWS.severity, 'Change severity', incident, [
    {
      type: 'input',
      block_id: B.severity,
      label: plain('Severity'),
      element: { type: 'radio_buttons', action_id: A.severity, options: SEVERITIES.map(severityOption), initial_option: severityOption(incident.severity) },
    },
  ]);
}

export function roleModal(incident: Incident): ModalView {
  const holders = ROLES.map((r) => `${ROLE_LABELS[r]}: ${roleHolder(incident, r) ? userMention(roleHolder(incident, r)!) : '—'}`).join(' · ');
  return modal(VIEWS.role, 'Assign a role', incident, [
    { type: 'context', elements: [mrkdwn(`Now: ${holders}`)] },
    {
      type: 'input',
      block_id: B.role,
      label: plain('Role'),
      element: { type: 'radio_buttons', action_id: A.role, options: ROLES.map((r) => option(r, ROLE_LABELS[r], ROLE_DESCRIPTIONS[r])) },
    },
    {
      type: 'input',
      block_id: B.user,
      label: plain('Person'),
      hint: plain('They are invited to the incident channel.'),
      element: { type: 'users_select', action_id: A.user, placeholder: plain('Choose a person') },
    },
  ]);
}
