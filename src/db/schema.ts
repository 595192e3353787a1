import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: read as a Date, written as a Date (or left to its default). */
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json<T> = ColumnType<T, string, string>;

export interface WorkspaceCountersTable {
  team_id: string;
  last_incident_number: number;
}

export interface ServicesTable {
  id: Generated<number>;
  team_id: string;
  name: string;
  name_key: string;
  owner_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface IncidentsTable {
  id: Generated<number>;
  team_id: string;
  number: number;
  title: string;
  summary: Generated<string>;
  severity: string;
  status: Generated<string>;
  is_private: Generated<boolean>;
  declared_by: string;
  commander_id: string;
  comms_id: string | null;
  scribe_id: string | null;
  declare_key: string;
  channel_name: string | null;
  channel_id: string | null;
  card_ts: string | null;
  announcement_channel_id: string | null;
  announcement_ts: string | null;
  provision_done: Generated<string[]>;
  provision_problems: Generated<string[]>;
  declared_at: Date;
  acknowledged_at: Date | null;
  mitigated_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  /** When customers were first affected, when not at the declaration (null = declared_at). */
  impact_started_at: Generated<Date | null>;
  /** When customers stopped being affected, when not at mitigation (null = mitigated_at). */
  impact_ended_at: Generated<Date | null>;
  /** A drill: run like an incident, never announced, sent to stakeholders or counted in figures. */
  is_drill: Generated<boolean>;
  /** The message the incident was declared from (a message shortcut), if any. */
  source_channel_id: Generated<string | null>;
  source_ts: Generated<string | null>;
  updated_at: Generated<Date>;
}

export interface IncidentServicesTable {
  incident_id: number;
  service_id: number;
}

export interface TimelineEventsTable {
  id: Generated<number>;
  incident_id: number;
  at: Date;
  kind: string;
  actor_id: string | null;
  text: string;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  dedupe_key: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  team_id: string;
  incident_id: number | null;
  kind: string;
  dedupe_key: string;
  destination: string | null;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'done' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Date;
  locked_until: Date | null;
  result: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  last_error: string | null;
  created_at: Date;
  done_at: Timestamp | null;
  claim_token: string | null;
  retried_at: Date | null;
}

export interface ProcessedEventsTable {
  event_id: string;
  received_at: Date;
}

export interface ReviewsTable {
  id: Generated<number>;
  incident_id: number;
  status: Generated<'pending' | 'draft' | 'submitted'>;
  due_at: Date | null;
  summary: Generated<string>;
  impact: Generated<string>;
  impact_duration: Generated<string>;
  contributing_factors: Generated<string>;
  change_caused: Generated<'yes' | 'no' | 'unknown'>;
  change_reference: Generated<string>;
  went_well: Generated<string>;
  to_improve: Generated<string>;
  revision: Generated<number>;
  last_save_key: string | null;
  updated_by: string | null;
  updated_at: Date | null;
  submitted_by: string | null;
  submitted_at: Date | null;
  created_at: Date;
}

export interface ReviewRevisionsTable {
  review_id: number;
  revision: number;
  content: Json<Record<string, unknown>>;
  submitted_by: string;
  submitted_at: Date;
  published_ts: Generated<string[]>;
}

export interface ReviewRemindersSentTable {
  review_id: number;
  period_at: Date;
  claimed_at: Date;
}

export interface FollowUpsTable {
  id: Generated<number>;
  team_id: string;
  incident_id: number;
  title: string;
  /** A `date`: always read through `to_char(…, 'YYYY-MM-DD')` (pg would make it a local-midnight Date). */
  due_on: string;
  owner_id: string;
  priority: 'high' | 'medium' | 'low';
  status: Generated<'open' | 'done'>;
  create_key: string;
  created_by: string;
  created_at: Date;
  done_by: string | null;
  done_at: Date | null;
}

export interface FollowUpRemindersSentTable {
  follow_up_id: number;
  period_at: Date;
  claimed_at: Date;
}

export interface UserTimeZonesTable {
  user_id: string;
  tz: string | null;
  tz_offset: number;
  fetched_at: Date;
}

export interface HomeWindowsTable {
  team_id: string;
  user_id: string;
  window: string;
  chosen_at: Date;
}

export interface OutboxStepsTable {
  job_id: number;
  step: string;
  state: 'started' | 'done';
  ts: string | null;
  updated_at: Date;
}

export interface ServiceStakeholdersTable {
  service_id: number;
  kind: 'channel' | 'user';
  target_id: string;
}

export interface IncidentSubscribersTable {
  incident_id: number;
  user_id: string;
  subscribed_at: Date;
}

export interface StatusUpdatesTable {
  id: Generated<number>;
  incident_id: number;
  submit_key: string;
  author_id: string;
  severity: string;
  status: string;
  customer_impact: string;
  actions: string;
  next_update_at: Date | null;
  posted_at: Date;
  due_at: Date | null;
  on_time: boolean | null;
  destinations: Generated<number>;
}

export interface UpdateCadenceTable {
  incident_id: number;
  next_due_at: Date | null;
  remind_at: Date | null;
  escalate_at: Date | null;
  updates_due: Generated<number>;
  updates_on_time: Generated<number>;
  last_update_at: Date | null;
}

export interface DestinationPaceTable {
  destination: string;
  tat: Date;
}

export interface DigestPeriodsTable {
  team_id: string;
  period_start: Date;
  channel_id: string;
  created_at: Date;
}

export interface DeploymentsTable {
  id: Generated<number>;
  team_id: string;
  service_id: number;
  version: string;
  environment: string;
  summary: Generated<string>;
  author: Generated<string>;
  url: string | null;
  deployed_at: Date;
  received_at: Date;
}

export interface IncidentDeploymentsTable {
  incident_id: number;
  deployment_id: number;
  caused: Generated<boolean>;
}

export interface AlertGroupsTable {
  id: Generated<number>;
  team_id: string;
  source: 'alertmanager' | 'grafana' | 'generic';
  group_key: string;
  title: string;
  service_label: string | null;
  service_id: number | null;
  severity_label: string | null;
  source_url: string | null;
  status: 'firing' | 'resolved';
  first_fired_at: Date;
  resolved_at: Date | null;
  revision: Generated<number>;
  edit_queued: Generated<boolean>;
  triage_channel_id: string | null;
  triage_ts: string | null;
  incident_id: number | null;
  attached_by: string | null;
  attached_at: Date | null;
  dismissed_by: string | null;
  dismissed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface AlertsTable {
  id: Generated<number>;
  group_id: number;
  fingerprint: string;
  name: string;
  status: 'firing' | 'resolved';
  summary: Generated<string>;
  starts_at: Date;
  ends_at: Date | null;
  updated_at: Date;
}

export interface SignalRateTable {
  window_start: Date;
  used: number;
}

export interface DB {
  alert_groups: AlertGroupsTable;
  alerts: AlertsTable;
  workspace_counters: WorkspaceCountersTable;
  services: ServicesTable;
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  timeline_events: TimelineEventsTable;
  outbox: OutboxTable;
  processed_events: ProcessedEventsTable;
  reviews: ReviewsTable;
  review_revisions: ReviewRevisionsTable;
  review_reminders_sent: ReviewRemindersSentTable;
  follow_ups: FollowUpsTable;
  follow_up_reminders_sent: FollowUpRemindersSentTable;
  user_time_zones: UserTimeZonesTable;
  home_windows: HomeWindowsTable;
  outbox_steps: OutboxStepsTable;
  service_stakeholders: ServiceStakeholdersTable;
  incident_subscribers: IncidentSubscribersTable;
  status_updates: StatusUpdatesTable;
  update_cadence: UpdateCadenceTable;
  destination_pace: DestinationPaceTable;
  digest_periods: DigestPeriodsTable;
  deployments: DeploymentsTable;
  incident_deployments: IncidentDeploymentsTable;
  signal_rate: SignalRateTable;
}
