import type { Severity } from './severity';

export const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];

export const ROLES = ['commander', 'comms', 'scribe'] as const;
export type Role = (typeof ROLES)[number];

export interface ServiceRef {
  id: number;
  name: string;
}

export interface Incident {
  id: number;
  teamId: string;
  number: number;
  title: string;
  summary: string;
  severity: Severity;
  status: IncidentStatus;
  isPrivate: boolean;
  /** A drill: run like an incident, marked 🧪, never announced or sent to stakeholders, left out of figures. */
  isDrill?: boolean;
  declaredBy: string;
  commanderId: string;
  commsId: string | null;
  scribeId: string | null;
  channelId: string | null;
  channelName: string | null;
  cardTs: string | null;
  announcementChannelId: string | null;
  announcementTs: string | null;
  declaredAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  /** When customers were first affected, when someone said it was not at the declaration. */
  impactStartedAt?: Date | null;
  /** When customers stopped being affected, when someone said it was not at the first mitigation. */
  impactEndedAt?: Date | null;
  services: ServiceRef[];
  /** The message it was declared from (the *Declare incident* message shortcut), if any. */
  source?: MessageRef | null;
  /** Deployments linked at declaration, newest first; read only where they are shown (card, review). */
  deployments?: LinkedDeployment[];
}

/** A Slack message: where it is and its ts. */
export interface MessageRef {
  channelId: string;
  ts: string;
}

/**
 * A deployment of one of the incident's services shortly before it was declared (see signals/): shown
 * on its card and offered in its review as a possible cause.
 */
export interface LinkedDeployment {
  id: number;
  service: string;
  version: string;
  environment: string;
  summary: string;
  author: string;
  url: string | null;
  deployedAt: Date;
  /** Picked in the review as a cause of the incident. */
  caused: boolean;
}

/** What a list of incidents shows, and what deciding who may see one needs: no more is read for it. */
export type IncidentListing = Pick<Incident, 'id' | 'number' | 'title' | 'severity' | 'status' | 'isPrivate' | 'isDrill' | 'channelId' | 'declaredBy' | 'commanderId'>;

/** Statuses in which the incident is still being worked. */
export const OPEN_STATUSES: readonly IncidentStatus[] = ['investigating', 'identified', 'monitoring'];

/** A resolved or closed incident made open again. */
export function isReopening(from: IncidentStatus, to: IncidentStatus): boolean {
  return (from === 'resolved' || from === 'closed') && OPEN_STATUSES.includes(to);
}

export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return OPEN_STATUSES.includes(incident.status);
}

/** Slack channel names: lowercase letters, digits, `-` and `_`, at most 80 characters. */
export const CHANNEL_NAME_MAX = 80;

/** "Payments API: 502s on checkout!" → "payments-api-502s-on-checkout" */
export function slugify(text: string, maxLength: number): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, Math.max(0, maxLength)).replace(/-+$/, '');
}

/**
 * `<prefix>-<number>-<slug of title>` (`<prefix>-<number>-drill-…` for a drill), cut to Slack's 80
 * characters. `attempt` > 1 appends `-<attempt>` (kept inside the limit) for when the plain name is taken.
 */
export function incidentChannelName(prefix: string, number: number, title: string, attempt = 1, isDrill = false): string {
  const head = `${prefix}-${number}${isDrill ? '-drill' : ''}`;
  const tail = attempt > 1 ? `-${attempt}` : '';
  const slug = slugify(title, CHANNEL_NAME_MAX - head.length - tail.length - 1);
  return slug ? `${head}-${slug}${tail}` : `${head}${tail}`;
}
