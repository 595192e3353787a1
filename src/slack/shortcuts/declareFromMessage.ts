import { declareModal, SUMMARY_MAX, TITLE_MAX } from '../blocks/declareModal';
import { plainTextOf, titleFromMessage } from '../blocks/messageText';
import { LIMITS, truncate } from '../blocks/text';
import { answerClick } from '../actions/updateButtons';
import type { SlackDeps } from '../deps';
import { SHORTCUTS } from '../ids';
import { openModal } from '../openModal';
import type { SlackRoutes } from '../routes';
import { shortcutMessage, teamOfShortcut } from './message';

/**
 * *Declare incident* on a message: the declare modal, titled from the message's first line. The
 * message travels with the modal; once declared, setup links it from the incident's channel and
 * timeline and replies in its thread. Only the service list is read before the modal opens (the
 * trigger lives 3 seconds); the permalink is asked for by setup, through the outbox.
 */
export function registerDeclareFromMessage(routes: SlackRoutes, deps: SlackDeps): void {
  routes.messageShortcut(SHORTCUTS.declare, async ({ ack, shortcut, respond }) => {
    await ack();
    await answerClick(deps, respond, async () => {
      const message = shortcutMessage(shortcut);
      const services = await deps.useCases.listServices(teamOfShortcut(shortcut), LIMITS.staticOptions);
      const title = titleFromMessage(message.text, TITLE_MAX);
      const whole = plainTextOf(message.text).trim();
      const view = declareModal({
        title,
        declarerId: shortcut.user.id,
        services,
        // More than the title: the whole message is a first summary.
        ...(whole.replace(/\s+/g, ' ') !== title ? { summary: truncate(whole, SUMMARY_MAX) } : {}),
        source: message,
      });
      await openModal(deps, { triggerId: shortcut.trigger_id, view, what: 'declare form', respond, retry: 'use the *Declare incident* shortcut again' });
    });
  });
}
