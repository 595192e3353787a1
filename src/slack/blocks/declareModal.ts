import type { ServiceRef } from '../../incidents/model';
import { SEVERITIES, SEVERITY_DESCRIPTIONS, type Severity } from '../../incidents/severity';
import type { ShortcutMessage } from '../../incidents/messages';
import { DECLARE_ACTIONS, DECLARE_BLOCKS, DECLARE_DRILL_OPTION, DECLARE_PRIVATE_OPTION, VIEWS } from '../ids';
import type { KnownBlock, ModalView, PlainTextOption } from './kit';
import { metadataWithMessage } from './messageText';
import { LIMITS, mrkdwn, plain, truncate } from './text';

export const TITLE_MAX = 150;
export const SUMMARY_MAX = 3000;
/** Under the commander field until a pick cannot lead the response. */
export const COMMANDER_HINT = 'Leads the response. You, unless you choose someone else.';

export interface DeclareModalInput {
  title?: string;
  declarerId: string;
  services: ServiceRef[];
  severity?: Severity;
  /** Services chosen already (e.g. the alert's service). */
  serviceIds?: number[];
  summary?: string;
  /** Declaring from an alert group's triage message: the group joins the new incident. */
  alertGroupId?: number;
  /** Declaring from a message (the message shortcut): the incident links it. */
  source?: ShortcutMessage;
}

/** What a declare modal carries back to its submission. */
export interface DeclareMetadata {
  alertGroupId?: number;
  source?: ShortcutMessage;
}

/** The modal's private_metadata: the alert group or the source message, within Slack's 3,000 characters. */
function declareMetadata(input: DeclareModalInput): string {
  const base: DeclareMetadata = input.alertGroupId ? { alertGroupId: input.alertGroupId } : {};
  return input.source ? metadataWithMessage(base, 'source', input.source) : JSON.stringify(base);
}

/** A severity as a select or radio option, with its one-line description. */
export const severityOption = (s: Severity): PlainTextOption => ({
  text: plain(s, LIMITS.optionText),
  value: s,
  description: plain(SEVERITY_DESCRIPTIONS[s], LIMITS.optionText),
});

/** The modal `/incident declare` opens. Pure: the same input gives the same view. */
export function declareModal(input: DeclareModalInput): ModalView {
  const services = input.services.slice(0, LIMITS.staticOptions);
  const serviceOption = (s: ServiceRef): PlainTextOption => ({ text: plain(s.name, LIMITS.optionText), value: String(s.id) });
  const chosen = services.filter((s) => input.serviceIds?.includes(s.id));
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: DECLARE_BLOCKS.title,
      label: plain('Title'),
      element: {
        type: 'plain_text_input',
        action_id: DECLARE_ACTIONS.title,
        max_length: TITLE_MAX,
        placeholder: plain('What is broken, as a customer would say it'),
        ...(input.title ? { initial_value: truncate(input.title, TITLE_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: DECLARE_BLOCKS.severity,
      label: plain('Severity'),
      element: {
        type: 'static_select',
        action_id: DECLARE_ACTIONS.severity,
        placeholder: plain('How bad is it?'),
        options: SEVERITIES.map(severityOption),
        ...(input.severity ? { initial_option: severityOption(input.severity) } : {}),
      },
    },
    services.length > 0
      ? {
          type: 'input',
          block_id: DECLARE_BLOCKS.services,
          optional: true,
          label: plain('Affected services'),
          hint: plain('Their stakeholders receive this incident’s updates.'),
          element: {
            type: 'multi_static_select',
            action_id: DECLARE_ACTIONS.services,
            placeholder: plain('Choose services'),
            options: services.map(serviceOption),
            ...(chosen.length > 0 ? { initial_options: chosen.map(serviceOption) } : {}),
          },
        }
      : {
          type: 'context',
          block_id: DECLARE_BLOCKS.services,
          elements: [mrkdwn('No services are known yet. Add one with `/incident stakeholders <service>` so its stakeholders get updates.')],
        },
    {
      type: 'input',
      block_id: DECLARE_BLOCKS.summary,
      optional: true,
      label: plain('Summary'),
      element: {
        type: 'plain_text_input',
        action_id: DECLARE_ACTIONS.summary,
        multiline: true,
        max_length: SUMMARY_MAX,
        placeholder: plain('What customers see, and what you know so far'),
        ...(input.summary ? { initial_value: truncate(input.summary, SUMMARY_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: DECLARE_BLOCKS.impactStarted,
      optional: true,
      label: plain('Customer impact started'),
      hint: plain('When customers were first affected, if before now. Leave it empty and impact counts from the declaration.'),
      element: { type: 'datetimepicker', action_id: DECLARE_ACTIONS.impactStarted },
    },
    {
      type: 'input',
      block_id: DECLARE_BLOCKS.commander,
      // A pick is sent at once, so the person is checked (and the answer kept) before the submission.
      dispatch_action: true,
      label: plain('Incident commander'),
      hint: plain(COMMANDER_HINT),
      element: { type: 'users_select', action_id: DECLARE_ACTIONS.commander, initial_user: input.declarerId },
    },
    {
      type: 'input',
      block_id: DECLARE_BLOCKS.options,
      optional: true,
      label: plain('Options'),
      element: {
        type: 'checkboxes',
        action_id: DECLARE_ACTIONS.options,
        options: [
          {
            text: plain('Private incident', LIMITS.optionText),
            value: DECLARE_PRIVATE_OPTION,
            description: plain('Private channel, not announced; only its members see it.', LIMITS.optionText),
          },
          {
            text: plain('This is a drill 🧪', LIMITS.optionText),
            value: DECLARE_DRILL_OPTION,
            description: plain('Marked 🧪; not announced, not sent to stakeholders, not in figures.', LIMITS.optionText),
          },
        ],
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.declare,
    title: plain('Declare an incident', LIMITS.modalTitle),
    submit: plain('Declare', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    ...(input.alertGroupId || input.source ? { private_metadata: declareMetadata(input) } : {}),
    blocks,
  };
}

/** The parts of an open declare modal (as Slack sends it with an interaction) that views.update takes back. */
type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
export interface OpenDeclareModal {
  callback_id: string;
  title: PlainText;
  submit?: PlainText | null;
  close?: PlainText | null;
  private_metadata?: string;
  blocks: ModalView['blocks'];
}

/**
 * The open declare modal with `hint` under the commander field (the problem with the person picked, or
 * the usual hint). Block ids are kept, so Slack keeps what was typed in every field. Pure.
 */
export function withCommanderHint(open: OpenDeclareModal, hint: string): ModalView {
  return {
    type: 'modal',
    callback_id: open.callback_id,
    title: open.title,
    ...(open.submit ? { submit: open.submit } : {}),
    ...(open.close ? { close: open.close } : {}),
    ...(open.private_metadata ? { private_metadata: open.private_metadata } : {}),
    blocks: open.blocks.map((b) => (b.type === 'input' && 'block_id' in b && b.block_id === DECLARE_BLOCKS.commander ? { ...b, hint: plain(hint) } : b)),
  };
}
