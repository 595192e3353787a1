/** Every callback_id, block_id and action_id Herald uses, declared once. */

export const COMMAND = '/incident';

export const VIEWS = {
  declare: 'herald_declare',
  stakeholders: 'herald_stakeholders',
  update: 'herald_update',
  /** Shown after a modal is saved; it has no submit button, so nothing listens for it. */
  done: 'herald_done',
} as const;

export const DECLARE_BLOCKS = {
  title: 'declare_title',
  severity: 'declare_severity',
  services: 'declare_services',
  summary: 'declare_summary',
  commander: 'declare_commander',
  options: 'declare_options',
} as const;

export const DECLARE_ACTIONS = {
  title: 'title',
  severity: 'severity',
  services: 'services',
  summary: 'summary',
  commander: 'commander',
  options: 'options',
} as const;

export const DECLARE_PRIVATE_OPTION = 'private';

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
