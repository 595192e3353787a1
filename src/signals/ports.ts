import type { PostOnce } from '../outbox/steps';
import type { AlertSource, AlertStatus } from './alertPayloads';
import type { IncidentBrief, StoredAlert } from './alertsRepository';

/** Alerts listed on a triage message; the rest are counted ("and N more"). */
export const TRIAGE_LIST_MAX = 15;
/** Open incidents offered to attach to. */
export const ATTACH_CHOICES_MAX = 3;

/** Everything a triage message shows, read fresh when it is posted or edited. */
export interface TriageView {
  groupId: number;
  revision: number;
  source: AlertSource;
  title: string;
  status: AlertStatus;
  service: string | null;
  severityLabel: string | null;
  sourceUrl: string | null;
  firstFiredAt: Date;
  /** The first TRIAGE_LIST_MAX alerts, firing first. */
  alerts: StoredAlert[];
  firing: number;
  resolved: number;
  /** `needsCommander`: a rule declared it and nobody leads it yet (the service has no owner). */
  incident: (Pick<IncidentBrief, 'number' | 'channelId'> & { needsCommander: boolean }) | null;
  attachedBy: string | null;
  dismissedBy: string | null;
  /** Open incidents of the group's service, to attach to. */
  attachable: IncidentBrief[];
}

/** How the alerts domain reaches Slack; `slack/` implements it. */
export interface AlertMessenger {
  postTriage(channel: string, view: TriageView, once: PostOnce): Promise<{ channel: string; ts: string }>;
  updateTriage(channel: string, ts: string, view: TriageView): Promise<void>;
  /** Tells the incident's channel that every alert of an attached group resolved. */
  tellGroupResolved(channelId: string, view: TriageView, once: PostOnce): Promise<void>;
}
