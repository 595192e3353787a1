import type { Incident, LinkedDeployment } from '../incidents/model';
import type { PostOnce } from '../outbox/steps';

/** What deployments need from the chat platform; `slack/` implements it. */
export interface DeploymentMessenger {
  /** The message in the incident's channel listing what was deployed shortly before it was declared. */
  postRecentDeployments(incident: Incident, deployments: LinkedDeployment[], once: PostOnce): Promise<void>;
}
