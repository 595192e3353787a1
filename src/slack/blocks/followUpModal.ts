import { PRIORITIES, type Priority } from '../../reviews/model';
import { FOLLOW_UP_TITLE_MAX } from '../../reviews/followUps';
import { addDays } from '../../reviews/localTime';
import { FOLLOW_UP_BLOCKS as B, VIEWS } from '../ids';
import type { ModalView } from './kit';
import { LIMITS, mrkdwn, plain, truncate } from './text';

export const PRIORITY_LABELS: Record<Priority, string> = { high: 'High', medium: 'Medium', low: 'Low' };

const priorityOption = (p: Priority) => ({ text: plain(PRIORITY_LABELS[p], LIMITS.optionText), value: p });

export interface FollowUpModalInput {
  incidentId: number;
  incidentNumber: number;
  title?: string;
  /** Today where the person is (YYYY-MM-DD); the suggested due date is two weeks on. */
  today: string;
}

const SUGGESTED_DUE_DAYS = 14;

export function parseFollowUpMetadata(text: string): number | null {
  try {
    const value = JSON.parse(text) as { i?: unknown };
    return typeof value?.i === 'number' && Number.isInteger(value.i) ? value.i : null;
  } catch {
    return null;
  }
}

/** The follow-up modal. Pure. */
export function followUpModal(input: FollowUpModalInput): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.followUp,
    title: plain('Add a follow-up', LIMITS.modalTitle),
    submit: plain('Add', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify({ i: input.incidentId }),
    blocks: [
      { type: 'context', elements: [mrkdwn(`An action from incident #${input.incidentNumber} that makes it less likely, or shorter, next time. Its owner is told by DM and reminded until it is done.`)] },
      {
        type: 'input',
        block_id: B.title,
        label: plain('What needs doing'),
        element: {
          type: 'plain_text_input',
          action_id: B.title,
          max_length: FOLLOW_UP_TITLE_MAX,
          placeholder: plain('e.g. Alert when the payment queue backs up'),
          ...(input.title ? { initial_value: truncate(input.title, FOLLOW_UP_TITLE_MAX) } : {}),
        },
      },
      {
        type: 'input',
        block_id: B.owner,
        label: plain('Owner'),
        hint: plain('One person who sees it through (they may share the work).'),
        element: { type: 'users_select', action_id: B.owner, placeholder: plain('Choose a person') },
      },
      {
        type: 'input',
        block_id: B.due,
        label: plain('Due date'),
        element: { type: 'datepicker', action_id: B.due, initial_date: addDays(input.today, SUGGESTED_DUE_DAYS) },
      },
      {
        type: 'input',
        block_id: B.priority,
        label: plain('Priority'),
        element: { type: 'static_select', action_id: B.priority, options: PRIORITIES.map(priorityOption), initial_option: priorityOption('medium') },
      },
    ],
  };
}
