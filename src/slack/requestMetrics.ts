import type { App, ReceiverEvent } from '@slack/bolt';

/** Where a request came from in Slack; bounded, so it can be a metric label. */
export const SURFACES = ['command', 'action', 'view', 'event', 'shortcut', 'options', 'other'] as const;
export type Surface = (typeof SURFACES)[number];

/** Told of every request Slack sends and of its acknowledgement. */
export interface RequestObserver {
  received(surface: Surface): void;
  acknowledged(surface: Surface, seconds: number): void;
}

export function surfaceOf(body: Record<string, unknown>): Surface {
  if (typeof body.command === 'string') return 'command';
  switch (body.type) {
    case 'event_callback':
      return 'event';
    case 'block_actions':
    case 'interactive_message':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'shortcut':
    case 'message_action':
      return 'shortcut';
    case 'block_suggestion':
    case 'dialog_suggestion':
      return 'options';
    default:
      return 'other';
  }
}

/**
 * Times each request from the moment a receiver hands it to Bolt (verified, over HTTP or the socket)
 * to its acknowledgement. Every receiver goes through `app.processEvent`, so one wrapper serves HTTP and
 * Socket Mode alike, spare connections included.
 */
export function timeAcknowledgements(app: App, observer: RequestObserver): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const surface = surfaceOf(event.body);
    const started = performance.now();
    observer.received(surface);
    let acknowledged = false;
    const ack: ReceiverEvent['ack'] = async (response) => {
      await event.ack(response);
      if (acknowledged) return;
      acknowledged = true;
      observer.acknowledged(surface, (performance.now() - started) / 1000);
    };
    return processEvent({ ...event, ack });
  };
}
