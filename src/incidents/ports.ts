import type { PostOnce } from '../outbox/steps';
import type { Incident, MessageRef } from './model';
import type { IncidentChangedPayload } from './changes';

/**
 * What the incident domain needs from the chat platform. `slack/` implements it; the domain never sees
 * Slack's SDK. Failures are thrown as ExternalCallError with Slack's error code. Posts are made `once`;
 * `checkFirst` (on a retry of a step whose answer may have been lost) looks whether it is already done.
 */
export interface IncidentChannels {
  /** Creates the channel; 'name_taken' when a channel of that name exists. */
  createChannel(name: string, isPrivate: boolean): Promise<{ id: string } | 'name_taken'>;
  /** A channel of that exact name that this app created (a creation whose answer was lost), if any. */
  findOwnChannelByName(name: string): Promise<string | null>;
  invite(channelId: string, userIds: string[]): Promise<void>;
  /** Sets the channel's topic; with `checkFirst`, not when it already reads so. */
  setTopic(incident: Incident, checkFirst: boolean): Promise<void>;
  postSummaryCard(incident: Incident, once: PostOnce): Promise<string>;
  /** Pins a message; one already pinned is fine. */
  pin(channelId: string, ts: string): Promise<void>;
  announce(announceChannelId: string, incident: Incident, once: PostOnce): Promise<string>;
  permalink(channelId: string, ts: string): Promise<string>;
  /** Bookmarks `link` in the channel; with `checkFirst`, not when a bookmark of that link is there. */
  bookmark(channelId: string, title: string, link: string, checkFirst: boolean): Promise<void>;
  /** Replies in the thread of the message the incident was declared from, saying where it is run. */
  replyInSourceThread(source: MessageRef, incident: Incident, once: PostOnce): Promise<void>;
  /** Tells the declarer the incident is ready, and in plain words what could not be done. */
  notifyDeclarer(incident: Incident, problems: string[], once: PostOnce): Promise<void>;
  /** Tells the declarer that setup gave up, what is missing, and offers to try again. */
  notifySetupGaveUp(incident: Incident, problems: string[], once: PostOnce): Promise<void>;
  /** Tells `to` (the declarer, or the incident channel) that Slack has not been answering since `since` and Herald keeps trying. */
  tellSetupDelayed(to: string, incident: Incident, delay: { since: Date; inChannel: boolean }, once: PostOnce): Promise<void>;
}

/** A message read back from a channel (e.g. one a responder pinned with 📌). */
export interface ChannelMessage {
  ts: string;
  /** Who wrote it: a user ID, or null for an app or integration without one. */
  authorId: string | null;
  text: string;
  permalink: string | null;
}

/**
 * What carrying an incident change to Slack needs. Posts are made `once`: a retry whose earlier answer
 * was lost finds the post by its marker instead of posting twice.
 */
export interface IncidentUpdates {
  /** Redraws the pinned summary card in place. */
  updateSummaryCard(incident: Incident): Promise<void>;
  setTopic(incident: Incident): Promise<void>;
  invite(channelId: string, userIds: string[]): Promise<void>;
  /** The one line in the incident channel saying who changed what; returns its ts. */
  postChangeNote(incident: Incident, change: IncidentChangedPayload, once: PostOnce): Promise<string>;
  /** The change, in the thread under the incident's announcement; returns its ts. */
  postAnnouncementReply(incident: Incident, change: IncidentChangedPayload, once: PostOnce): Promise<string>;
  /** Redraws the announcement to show the incident as it is now. */
  updateAnnouncement(incident: Incident): Promise<void>;
  /** A message with a link to it; null when it no longer exists. */
  readMessage(channelId: string, ts: string): Promise<ChannelMessage | null>;
}

/** Tidying a closed incident's channel away. */
export interface ChannelArchiver {
  /** Tells the incident's channel when it will be archived, and how to keep it. */
  warnOfArchive(incident: Incident & { channelId: string }, archiveAt: Date, once: PostOnce): Promise<void>;
  /** Archives the channel; fails with `already_archived` when it is. */
  archive(channelId: string): Promise<void>;
}
