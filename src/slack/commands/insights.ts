import { UserFacingError } from '../../errors';
import { usageOf } from '../blocks/help';
import { insightsMessage } from '../blocks/insights';
import { parseInsightsArgs, valid } from './arguments';
import type { CommandHandler } from './types';

/** `/incident insights [7d|30d|90d] [service]`: the figures, ephemeral, anywhere. */
export const showInsights: CommandHandler = async ({ command, parsed, ack, deps }) => {
  const args = valid('insights', parseInsightsArgs(parsed.args));
  const service = args.service === undefined ? null : await deps.useCases.findService(command.team_id, args.service);
  if (args.service !== undefined && !service) {
    throw new UserFacingError(`There is no service called “${args.service.replace(/[`<>]/g, '').slice(0, 80)}”. Usage: \`${usageOf('insights')}\``);
  }
  const report = await deps.useCases.buildInsightsReport({ teamId: command.team_id, window: args.window, serviceId: service?.id }, deps.clock());
  await ack({ response_type: 'ephemeral', ...insightsMessage(report) });
};
