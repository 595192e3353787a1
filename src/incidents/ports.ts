import type { Incident } from './model';

/**
 * What the incident domain needs from the chat platform. `slack/` implements it; the domain never sees
 * Slack's SDK. Failures are thrown as ExternalCallError with Slack's error code.
 */
export interface IncidentChannels {
  /** Creates the channel; 'name_taken' when a channel of that name exists. */
  createChannel(name: string, isPrivate: boolean): Promise<{ id: string } | 'name_taken'>;
  /** A channel of that exact name that this app created (a creation whose answer was lost), if any. */
  findOwnChannelByName(name: string): Promise<string | null>;
  invite(channelId: string, userIds: string[]): Promise<void>;
  setTopic(incident: Incident): Promise<void>;
  postSummaryCard(incident: Incident): Promise<string>;
  pin(channelId: string, ts: string): Promise<void>;
  announce(announceChannelId: string, incident: Incident): Promise<string>;
  permalink(channelId: string, ts: string): Promise<string>;
  bookmark(channelId: string, title: string, link: string): Promise<void>;
  /** Tells the declarer the incident is ready, and in plain words what could not be done. */
  notifyDeclarer(incident: Incident, problems: string[]): Promise<void>;
}
