import type { Incident } from '../../incidents/model';
import type { MessageContent } from './kit';
import { mrkdwn, slackDate } from './text';

/** Said in a closed incident's channel before Herald archives it: when, and how to keep it. */
export function archiveNotice(incident: Pick<Incident, 'number'>, archiveAt: Date): MessageContent {
  const when = slackDate(archiveAt);
  return {
    text: `This channel will be archived ${archiveAt.toISOString()}: incident #${incident.number} is closed`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:file_cabinet: Incident #${incident.number} is closed, so Herald will archive this channel on ${when}. ` +
            'Its messages stay searchable once archived. To keep it open, the commander can reopen the incident first with `/incident status investigating`.',
        ),
      },
    ],
  };
}
