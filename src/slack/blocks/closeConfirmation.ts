import type { Incident } from '../../incidents/model';
import { CLOSE_ACTIONS, CLOSE_BLOCKS } from '../ids';
import type { MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, truncate } from './text';

/** Asked of the commander when closing while something is still owed (e.g. the review). */
export function closeConfirmation(incident: Incident, missing: string[]): MessageContent {
  const shown = missing.slice(0, 10).map((m) => `• ${escapeMrkdwn(truncate(m, 200))}`);
  if (missing.length > shown.length) shown.push(`• …and ${missing.length - shown.length} more`);
  const text = `Incident #${incident.number} still needs:\n${shown.join('\n')}\nClose it anyway?`;
  return {
    text: `Incident #${incident.number} still needs: ${missing.join(', ')}`.slice(0, LIMITS.updateText),
    blocks: [
      { type: 'section', text: mrkdwn(text) },
      {
        type: 'actions',
        block_id: CLOSE_BLOCKS.actions,
        elements: [{ type: 'button', text: plain('Close anyway', LIMITS.buttonText), action_id: CLOSE_ACTIONS.confirm, value: String(incident.id), style: 'danger' }],
      },
    ],
  };
}
