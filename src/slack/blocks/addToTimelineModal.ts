import type { ShortcutMessage } from '../../incidents/messages';
import type { IncidentListing } from '../../incidents/model';
import { ADD_TO_TIMELINE_ACTIONS, ADD_TO_TIMELINE_BLOCKS, VIEWS } from '../ids';
import { incidentLabel } from './incidentText';
import type { KnownBlock, ModalView, PlainTextOption } from './kit';
import { metadataWithMessage } from './messageText';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, truncate, userMention } from './text';

const TITLE = 'Add to timeline';
/** How much of the message the modal quotes. */
const QUOTE_MAX = 500;

/** What the modal carries back to its submission. */
export interface AddToTimelineMetadata {
  message: ShortcutMessage;
}

function quote(message: ShortcutMessage): KnownBlock {
  const by = message.authorId ? `${userMention(message.authorId)}: ` : '';
  const text = escapeMrkdwn(truncate(message.text.replace(/\s*\n\s*/g, ' ').trim() || '(a message without text)', QUOTE_MAX));
  return { type: 'context', elements: [mrkdwn(`${by}${text}`)] };
}

/** Opened at once (the trigger lives 3 seconds) while Herald looks for the incidents this person may see. */
export function addToTimelineLoading(): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.done,
    title: plain(TITLE, LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks: [{ type: 'section', text: mrkdwn(':hourglass_flowing_sand: Looking for open incidents…') }],
  };
}

/** The choice of open incident for a message used outside any incident channel. Pure. */
export function addToTimelineModal(message: ShortcutMessage, incidents: IncidentListing[]): ModalView {
  const offered = incidents.slice(0, LIMITS.staticOptions);
  const option = (i: IncidentListing): PlainTextOption => ({ text: plain(incidentLabel(i), LIMITS.optionText), value: String(i.id) });
  return {
    type: 'modal',
    callback_id: VIEWS.addToTimeline,
    title: plain(TITLE, LIMITS.modalTitle),
    submit: plain('Add', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: metadataWithMessage({}, 'message', message),
    blocks: [
      quote(message),
      {
        type: 'input',
        block_id: ADD_TO_TIMELINE_BLOCKS.incident,
        label: plain('Incident'),
        hint: plain('The message goes on its timeline, at the time it was written, with a link to it.'),
        element: {
          type: 'static_select',
          action_id: ADD_TO_TIMELINE_ACTIONS.incident,
          placeholder: plain('Choose an open incident'),
          options: offered.map(option),
          ...(offered.length === 1 ? { initial_option: option(offered[0]) } : {}),
        },
      },
    ],
  };
}

/** What the person is told (ephemerally, or in the modal) once the message is on the timeline. */
export function addedToTimelineText(incident: Pick<IncidentListing, 'number' | 'title' | 'isDrill'>, added: boolean): string {
  const label = escapeMrkdwn(truncate(incidentLabel(incident), 300));
  return added ? `:speech_balloon: Added to the timeline of incident *${label}*.` : `That message is already on the timeline of incident *${label}*.`;
}

export const NO_OPEN_INCIDENT_TEXT =
  'There is no open incident you can see to add this message to. Declare one with the *Declare incident* message shortcut or `/incident declare`.';
