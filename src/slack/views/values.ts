/** Reading a submitted view's state without repeating the block/action walk in every handler. */

type StateValue = {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }>;
  selected_user?: string | null;
  selected_users?: string[];
  selected_conversations?: string[];
  selected_channel?: string | null;
  selected_date?: string | null;
  selected_date_time?: number | null;
};
export type ViewState = Record<string, Record<string, StateValue>>;

export function readState(values: ViewState) {
  const at = (block: string, action: string): StateValue | undefined => values[block]?.[action];
  return {
    text: (block: string, action: string) => at(block, action)?.value ?? '',
    option: (block: string, action: string) => at(block, action)?.selected_option?.value ?? null,
    options: (block: string, action: string) => (at(block, action)?.selected_options ?? []).map((o) => o.value),
    user: (block: string, action: string) => at(block, action)?.selected_user ?? null,
    users: (block: string, action: string) => at(block, action)?.selected_users ?? [],
    conversations: (block: string, action: string) => at(block, action)?.selected_conversations ?? [],
    date: (block: string, action: string) => at(block, action)?.selected_date ?? null,
    /** A datetimepicker's choice, as a Date; null when none. */
    dateTime: (block: string, action: string) => {
      const seconds = at(block, action)?.selected_date_time;
      return typeof seconds === 'number' ? new Date(seconds * 1000) : null;
    },
  };
}

/** zod issues → `{block_id: message}` for `response_action: errors`, first message per block. */
export function fieldErrors(issues: Array<{ path: PropertyKey[]; message: string }>, blockFor: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const block = blockFor[String(issue.path[0])];
    if (block && !errors[block]) errors[block] = issue.message;
  }
  return errors;
}
