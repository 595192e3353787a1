/** Every callback_id, block_id and action_id Herald uses, declared once. */

export const COMMAND = '/incident';

export const VIEWS = {
  declare: 'herald_declare',
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
