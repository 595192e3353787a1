import type { WebClient } from '@slack/web-api';
import type { DeploymentMessenger } from '../signals/deploymentPorts';
import { recentDeploymentsMessage } from './blocks/deployments';
import { postOnce } from './markedPosts';

/** Deployments' messages, sent with Herald's bot token. */
export function createDeploymentMessenger(client: WebClient): DeploymentMessenger {
  return {
    async postRecentDeployments(incident, deployments, once) {
      await postOnce(client, { channel: incident.channelId!, ...recentDeploymentsMessage(incident, deployments), unfurl_links: false }, once);
    },
  };
}
