import type { ServiceStakeholders } from '../../comms/stakeholders';
import { STAKEHOLDER_ACTIONS as A, STAKEHOLDER_BLOCKS as B, VIEWS } from '../ids';
import type { KnownBlock, ModalView } from './kit';
import { doneView } from './doneView';
import { cappedList, channelMention, cutThenEscape, escapeMrkdwn, LIMITS, mrkdwn, plain, userMention } from './text';

/** Slack allows at most this many selected items in a multi-select. */
export const MAX_STAKEHOLDERS = 100;

export interface StakeholdersMetadata {
  name: string;
}

/** The modal `/incident stakeholders <service>` opens: owner, stakeholder channels and people. */
export function stakeholdersModal(service: ServiceStakeholders): ModalView {
  const metadata: StakeholdersMetadata = { name: service.name };
  const intro = service.exists
    ? `*${escapeMrkdwn(service.name)}*\nUpdates on incidents affecting this service go to these channels and, by DM, to these people.`
    : `*${escapeMrkdwn(service.name)}* is a new service. Saving creates it; it then appears in the declare form, and its incidents’ updates reach the stakeholders below.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(intro) },
    {
      type: 'input',
      block_id: B.owner,
      optional: true,
      label: plain('Owner'),
      hint: plain('Once a service has an owner, only the owner changes this list.'),
      element: { type: 'users_select', action_id: A.owner, placeholder: plain('Who owns the service'), ...(service.ownerId ? { initial_user: service.ownerId } : {}) },
    },
    {
      type: 'input',
      block_id: B.channels,
      optional: true,
      label: plain('Stakeholder channels'),
      hint: plain('Invite @Herald to each, so it can post there.'),
      element: {
        type: 'multi_conversations_select',
        action_id: A.channels,
        placeholder: plain('Channels that get every update'),
        max_selected_items: MAX_STAKEHOLDERS,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(service.channels.length > 0 ? { initial_conversations: service.channels.slice(0, MAX_STAKEHOLDERS) } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.people,
      optional: true,
      label: plain('Stakeholder people'),
      hint: plain('Each gets every update by DM.'),
      element: {
        type: 'multi_users_select',
        action_id: A.people,
        placeholder: plain('People who get every update'),
        max_selected_items: MAX_STAKEHOLDERS,
        ...(service.people.length > 0 ? { initial_users: service.people.slice(0, MAX_STAKEHOLDERS) } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.stakeholders,
    private_metadata: JSON.stringify(metadata),
    title: plain('Service stakeholders', LIMITS.modalTitle),
    submit: plain('Save', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks,
  };
}

/** Each list in the saved summary: whole mentions, so the three lists and the warning all fit one section. */
const LIST_CHARS = 800;

/** What was saved, and the channels Herald is not in yet (the warning must survive a long list). */
export function stakeholdersSavedView(
  saved: { name: string; created: boolean },
  input: { ownerId: string | null; channels: string[]; people: string[] },
  missing: string[],
): ModalView {
  const list = (ids: string[], mention: (id: string) => string) => (ids.length > 0 ? cappedList(ids.map(mention), LIST_CHARS) : '_none_');
  const lines = [
    `:white_check_mark: *${cutThenEscape(saved.name, 200)}* ${saved.created ? 'is created' : 'is saved'}.`,
    `Owner: ${input.ownerId ? userMention(input.ownerId) : '_none_'}`,
    `Channels: ${list(input.channels, channelMention)}`,
    `People: ${list(input.people, userMention)}`,
  ];
  if (missing.length > 0) {
    lines.push(`:warning: Herald is not in ${list(missing, channelMention)} — invite @Herald there, or updates cannot reach ${missing.length === 1 ? 'it' : 'them'}.`);
  }
  if (saved.created) lines.push('It now appears in the declare form’s services.');
  return doneView('Stakeholders saved', lines);
}
