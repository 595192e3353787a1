import { reviewModal } from '../blocks/reviewModal';
import { requireIncidentChannel } from '../incidentContext';
import { openModal } from '../openModal';
import type { CommandHandler } from './types';

/** `/incident review`: the review modal, prefilled from the saved draft or from what Herald knows. */
export const openReview: CommandHandler = async ({ command, ack, respond, deps }) => {
  const incident = await requireIncidentChannel(deps, command.channel_id, 'review');
  const form = await deps.useCases.loadReviewForm(incident.id, command.user_id);
  await ack();
  await openModal(deps, { triggerId: command.trigger_id, view: reviewModal({ ...form, values: form.prefill }), respond, what: 'review form', retry: 'run `/incident review` again' });
};
