import type { Incident } from '../../incidents/model';
import { correctionTextMax } from '../../incidents/timelineCorrections';
import type { TimelineEvent } from '../../incidents/timelineRepository';
import { TIMELINE_ACTIONS as A, TIMELINE_BLOCKS as B, VIEWS } from '../ids';
import { incidentLabel } from './incidentText';
import type { ModalView } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, truncate } from './text';

/** What the correction form carries between opening and submission. */
export interface CorrectionMetadata {
  eventId: number;
}

const KIND_WORDS: Record<string, string> = { note: 'note', pinned: 'pinned message', message: 'message' };

/** The form to correct a note or pinned message: its time and its text, as they are now. */
export function timelineCorrectionModal(incident: Incident, event: TimelineEvent): ModalView {
  const metadata: CorrectionMetadata = { eventId: event.id };
  const what = KIND_WORDS[event.kind] ?? 'entry';
  return {
    type: 'modal',
    callback_id: VIEWS.timelineCorrection,
    private_metadata: JSON.stringify(metadata),
    title: plain('Correct the timeline', LIMITS.modalTitle),
    submit: plain('Save', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`*${escapeMrkdwn(truncate(incidentLabel(incident), 300))}*\nCorrecting a ${what}. The timeline keeps what it said before, and who corrected it.`),
      },
      {
        type: 'input',
        block_id: B.at,
        label: plain('When it happened'),
        element: { type: 'datetimepicker', action_id: A.at, initial_date_time: Math.floor(event.at.getTime() / 1000) },
      },
      {
        type: 'input',
        block_id: B.text,
        label: plain('What happened'),
        element: { type: 'plain_text_input', action_id: A.text, multiline: true, max_length: correctionTextMax(event), initial_value: truncate(event.text, correctionTextMax(event)) },
      },
    ],
  };
}
