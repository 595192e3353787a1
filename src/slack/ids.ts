/** Every callback_id, block_id and action_id Herald uses, declared once. */

export const COMMAND = '/incident';

export const VIEWS = {
  declare: 'herald_declare',
  review: 'herald_review',
  reviewSaved: 'herald_review_saved',
  followUp: 'herald_follow_up',
  status: 'herald_change_status',
  severity: 'herald_change_severity',
  role: 'herald_assign_role',
  stakeholders: 'herald_stakeholders',
  update: 'herald_update',
  timelineCorrection: 'herald_timeline_correction',
  /** The choice of incident for a message added to a timeline from outside any incident channel. */
  addToTimeline: 'herald_add_to_timeline',
  /** Shown after a modal is saved; it has no submit button, so nothing listens for it. */
  done: 'herald_done',
} as const;

/** The notice Herald draws at the top of a modal when a click inside it could not be done (no response_url there). */
export const VIEW_NOTICE_BLOCK = 'herald_view_notice';

export const DECLARE_BLOCKS = {
  title: 'declare_title',
  severity: 'declare_severity',
  services: 'declare_services',
  summary: 'declare_summary',
  commander: 'declare_commander',
  options: 'declare_options',
  impactStarted: 'declare_impact_started',
} as const;

export const DECLARE_ACTIONS = {
  title: 'title',
  severity: 'severity',
  services: 'services',
  summary: 'summary',
  commander: 'commander',
  options: 'options',
  impactStarted: 'impact_started',
} as const;

export const DECLARE_PRIVATE_OPTION = 'private';
export const DECLARE_DRILL_OPTION = 'drill';

/** Message shortcuts (manifest.yml `features.shortcuts`, type message). */
export const SHORTCUTS = {
  declare: 'herald_declare_from_message',
  addToTimeline: 'herald_add_to_timeline',
} as const;

/** The modal choosing which incident's timeline a message goes on. */
export const ADD_TO_TIMELINE_BLOCKS = {
  incident: 'add_to_timeline_incident',
} as const;

export const ADD_TO_TIMELINE_ACTIONS = {
  incident: 'incident',
} as const;

/** Buttons on the pinned summary card. */
export const CARD_ACTIONS = {
  update: 'card_post_update',
  status: 'card_change_status',
  severity: 'card_change_severity',
  role: 'card_assign_role',
  resolve: 'card_resolve',
} as const;

export const CARD_BLOCKS = {
  actions: 'card_actions',
} as const;

/** The review modal: one input per part of the review; action ids repeat the block ids. */
export const REVIEW_BLOCKS = {
  intro: 'review_intro',
  notice: 'review_notice',
  summary: 'review_summary',
  impact: 'review_impact',
  impactDuration: 'review_impact_duration',
  impactStarted: 'review_impact_started',
  impactEnded: 'review_impact_ended',
  contributingFactors: 'review_contributing_factors',
  changeCaused: 'review_change_caused',
  changeReference: 'review_change_reference',
  causeDeployments: 'review_cause_deployments',
  wentWell: 'review_went_well',
  toImprove: 'review_to_improve',
  followUps: 'review_follow_ups',
  draft: 'review_draft',
  timeline: 'review_timeline',
} as const;

export const REVIEW_DRAFT_OPTION = 'draft';

export const FOLLOW_UP_BLOCKS = {
  title: 'follow_up_title',
  owner: 'follow_up_owner',
  due: 'follow_up_due',
  priority: 'follow_up_priority',
} as const;

/** Buttons of reviews and follow-ups, in messages and in the review modal. */
export const REVIEW_ACTIONS = {
  start: 'review_start',
  addFollowUp: 'review_add_follow_up',
  followUpDone: 'follow_up_done',
} as const;

/** The modals that change a running incident (status, severity, role). */
export const CHANGE_BLOCKS = {
  status: 'change_status',
  severity: 'change_severity',
  role: 'change_role',
  user: 'change_user',
} as const;

export const CHANGE_ACTIONS = {
  status: 'status',
  severity: 'severity',
  role: 'role',
  user: 'user',
} as const;

/** The "Close anyway" answer to `/incident close` when something is still owed. */
export const CLOSE_ACTIONS = {
  confirm: 'close_anyway',
} as const;

export const CLOSE_BLOCKS = {
  actions: 'close_confirmation',
} as const;

export const STAKEHOLDER_BLOCKS = {
  owner: 'stakeholders_owner',
  channels: 'stakeholders_channels',
  people: 'stakeholders_people',
} as const;

export const STAKEHOLDER_ACTIONS = {
  owner: 'owner',
  channels: 'channels',
  people: 'people',
} as const;

export const UPDATE_BLOCKS = {
  status: 'update_status',
  impact: 'update_impact',
  actions: 'update_actions',
  next: 'update_next',
} as const;

export const UPDATE_ACTIONS = {
  status: 'status',
  impact: 'impact',
  actions: 'actions',
  next: 'next',
} as const;

/** Buttons on the DM that asks for a stakeholder update. */
export const PROMPT_ACTIONS = {
  write: 'prompt_write_update',
  snooze: 'prompt_snooze',
} as const;

/** The button on the declarer's notice that setup gave up. */
export const SETUP_ACTIONS = {
  retry: 'setup_try_again',
} as const;

/** The App Home tab. */
export const HOME_ACTIONS = {
  declare: 'home_declare',
  /** A link button to an incident channel: Slack still sends the click, which is only acknowledged. */
  open: 'home_open',
  window: 'home_window',
} as const;

export const HOME_BLOCKS = {
  top: 'home_top',
  window: 'home_window',
} as const;

/** Buttons on an alert group's triage message; one attach button per open incident offered (at most three). */
export const ALERT_ACTIONS = {
  declare: 'alert_declare',
  dismiss: 'alert_dismiss',
  attach: ['alert_attach_1', 'alert_attach_2', 'alert_attach_3'],
} as const;

export const ALERT_BLOCKS = {
  actions: 'alert_actions',
} as const;

/** The Edit button beside a note or pinned message on `/incident timeline`, and the correction form. */
export const TIMELINE_ACTIONS = {
  edit: 'timeline_edit',
  at: 'timeline_at',
  text: 'timeline_text',
} as const;

export const TIMELINE_BLOCKS = {
  at: 'timeline_at',
  text: 'timeline_text',
} as const;
