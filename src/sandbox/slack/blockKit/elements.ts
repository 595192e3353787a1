/**
 * Block elements (buttons, selects, inputs, pickers, …) and where each may appear.
 */
import { type Checker, chars, isObj, type Obj } from './checker';

const sameOption = (a: unknown, b: unknown): boolean =>
  isObj(a) && isObj(b) && a.value === b.value && isObj(a.text) && isObj(b.text) && a.text.text === b.text.text;

function checkInitialOptions(c: Checker, o: Obj, ptr: string, all: unknown[], multi: boolean): void {
  const key = multi ? 'initial_options' : 'initial_option';
  if (o[key] === undefined) return;
  const chosen = multi ? c.array(o, key, ptr) : [o[key]];
  chosen?.forEach((opt, i) => {
    const p = multi ? `${ptr}/${key}/${i}` : `${ptr}/${key}`;
    if (!all.some((candidate) => sameOption(candidate, opt))) c.fail(p, `${key} must exactly match one of the provided options`);
  });
}

function staticSelect(c: Checker, o: Obj, ptr: string, multi: boolean): void {
  c.text(o, 'placeholder', ptr, 'plain', 150);
  const all: unknown[] = [];
  if ((o.options === undefined) === (o.option_groups === undefined)) {
    c.fail(ptr, 'must provide exactly one of options or option_groups');
  } else if (o.options !== undefined) {
    all.push(...(c.options(o, ptr, 100, 'plain') ?? []));
  } else {
    const groups = c.array(o, 'option_groups', ptr, { min: 1, max: 100 });
    groups?.forEach((g, i) => {
      const gp = `${ptr}/option_groups/${i}`;
      if (!c.object(g, gp)) return;
      c.onlyKeys(g, gp, ['label', 'options']);
      c.text(g, 'label', gp, 'plain', 75, true);
      all.push(...(c.options(g, gp, 100, 'plain') ?? []));
    });
  }
  checkInitialOptions(c, o, ptr, all, multi);
}

interface ElementSpec {
  keys: readonly string[];
  check(c: Checker, o: Obj, ptr: string): void;
}

const SELECT_KEYS = ['type', 'action_id', 'placeholder', 'confirm', 'focus_on_load'];
const MULTI_KEYS = [...SELECT_KEYS, 'max_selected_items'];
const INPUT_KEYS = ['type', 'action_id', 'placeholder', 'initial_value', 'dispatch_action_config', 'focus_on_load'];

const multi = (c: Checker, o: Obj, ptr: string): void => {
  c.int(o, 'max_selected_items', ptr, { min: 1 });
};
const dateLike = (c: Checker, o: Obj, ptr: string, key: string, re: RegExp, shape: string): void => {
  const v = c.string(o, key, ptr);
  if (v !== undefined && !re.test(v)) c.fail(`${ptr}/${key}`, `must be in ${shape} format`);
};
const stringList = (c: Checker, o: Obj, key: string, ptr: string): void => {
  c.array(o, key, ptr)?.forEach((v, i) => {
    if (typeof v !== 'string') c.fail(`${ptr}/${key}/${i}`, 'must provide a string');
  });
};

const ELEMENTS: Record<string, ElementSpec> = {
  button: {
    keys: ['type', 'action_id', 'text', 'url', 'value', 'style', 'confirm', 'accessibility_label'],
    check(c, o, p) {
      c.text(o, 'text', p, 'plain', 75, true);
      c.string(o, 'url', p, { max: 3000 });
      c.string(o, 'value', p, { max: 2000 });
      c.oneOf(o, 'style', p, ['primary', 'danger']);
      c.string(o, 'accessibility_label', p, { max: 75 });
    },
  },
  static_select: {
    keys: [...SELECT_KEYS, 'options', 'option_groups', 'initial_option'],
    check: (c, o, p) => staticSelect(c, o, p, false),
  },
  multi_static_select: {
    keys: [...MULTI_KEYS, 'options', 'option_groups', 'initial_options'],
    check: (c, o, p) => {
      staticSelect(c, o, p, true);
      multi(c, o, p);
    },
  },
  external_select: {
    keys: [...SELECT_KEYS, 'initial_option', 'min_query_length'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      if (o.initial_option !== undefined) c.option(o.initial_option, `${p}/initial_option`, 'plain');
      c.int(o, 'min_query_length', p, { min: 0 });
    },
  },
  multi_external_select: {
    keys: [...MULTI_KEYS, 'initial_options', 'min_query_length'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      c.array(o, 'initial_options', p)?.forEach((opt, i) => c.option(opt, `${p}/initial_options/${i}`, 'plain'));
      c.int(o, 'min_query_length', p, { min: 0 });
      multi(c, o, p);
    },
  },
  users_select: {
    keys: [...SELECT_KEYS, 'initial_user'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      c.string(o, 'initial_user', p);
    },
  },
  multi_users_select: {
    keys: [...MULTI_KEYS, 'initial_users'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      stringList(c, o, 'initial_users', p);
      multi(c, o, p);
    },
  },
  conversations_select: {
    keys: [...SELECT_KEYS, 'initial_conversation', 'default_to_current_conversation', 'response_url_enabled', 'filter'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      c.string(o, 'initial_conversation', p);
      c.bool(o, 'default_to_current_conversation', p);
      c.bool(o, 'response_url_enabled', p);
    },
  },
  multi_conversations_select: {
    keys: [...MULTI_KEYS, 'initial_conversations', 'default_to_current_conversation', 'filter'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      stringList(c, o, 'initial_conversations', p);
      c.bool(o, 'default_to_current_conversation', p);
      multi(c, o, p);
    },
  },
  channels_select: {
    keys: [...SELECT_KEYS, 'initial_channel', 'response_url_enabled'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      c.string(o, 'initial_channel', p);
      c.bool(o, 'response_url_enabled', p);
    },
  },
  multi_channels_select: {
    keys: [...MULTI_KEYS, 'initial_channels'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      stringList(c, o, 'initial_channels', p);
      multi(c, o, p);
    },
  },
  plain_text_input: {
    keys: [...INPUT_KEYS, 'multiline', 'min_length', 'max_length'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      const min = c.int(o, 'min_length', p, { min: 0, max: 3000 });
      const max = c.int(o, 'max_length', p, { min: 1, max: 3000 });
      if (min !== undefined && max !== undefined && min > max) c.fail(`${p}/min_length`, 'must not be greater than max_length');
      const initial = c.string(o, 'initial_value', p);
      if (initial !== undefined && max !== undefined && chars(initial) > max) c.fail(`${p}/initial_value`, 'must not be longer than max_length');
      c.bool(o, 'multiline', p);
    },
  },
  number_input: {
    keys: [...INPUT_KEYS, 'is_decimal_allowed', 'min_value', 'max_value'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      if (c.required(o, 'is_decimal_allowed', p)) c.bool(o, 'is_decimal_allowed', p);
      c.string(o, 'initial_value', p);
      c.string(o, 'min_value', p);
      c.string(o, 'max_value', p);
    },
  },
  email_text_input: {
    keys: INPUT_KEYS,
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      c.string(o, 'initial_value', p);
    },
  },
  url_text_input: {
    keys: INPUT_KEYS,
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      c.string(o, 'initial_value', p);
    },
  },
  checkboxes: {
    keys: ['type', 'action_id', 'options', 'initial_options', 'confirm', 'focus_on_load'],
    check: (c, o, p) => checkInitialOptions(c, o, p, c.options(o, p, 10, 'any') ?? [], true),
  },
  radio_buttons: {
    keys: ['type', 'action_id', 'options', 'initial_option', 'confirm', 'focus_on_load'],
    check: (c, o, p) => checkInitialOptions(c, o, p, c.options(o, p, 10, 'any') ?? [], false),
  },
  datepicker: {
    keys: ['type', 'action_id', 'initial_date', 'placeholder', 'confirm', 'focus_on_load'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      dateLike(c, o, p, 'initial_date', /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
    },
  },
  timepicker: {
    keys: ['type', 'action_id', 'initial_time', 'placeholder', 'confirm', 'focus_on_load', 'timezone'],
    check: (c, o, p) => {
      c.text(o, 'placeholder', p, 'plain', 150);
      dateLike(c, o, p, 'initial_time', /^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm');
      c.string(o, 'timezone', p);
    },
  },
  datetimepicker: {
    keys: ['type', 'action_id', 'initial_date_time', 'confirm', 'focus_on_load'],
    check: (c, o, p) => {
      c.int(o, 'initial_date_time', p, { min: 0 });
    },
  },
  overflow: {
    keys: ['type', 'action_id', 'options', 'confirm'],
    check: (c, o, p) => {
      c.options(o, p, 5, 'plain', true);
    },
  },
  image: {
    keys: ['type', 'image_url', 'slack_file', 'alt_text'],
    check: (c, o, p) => imageSource(c, o, p),
  },
};

export function imageSource(c: Checker, o: Obj, p: string): void {
  if (o.image_url === undefined && o.slack_file === undefined) c.fail(p, 'missing required field: image_url');
  c.string(o, 'image_url', p, { max: 3000 });
  if (o.slack_file !== undefined) c.object(o.slack_file, `${p}/slack_file`);
  c.string(o, 'alt_text', p, { required: true, max: 2000 });
}

const INTERACTIVE = [
  'button', 'checkboxes', 'datepicker', 'timepicker', 'datetimepicker', 'overflow', 'radio_buttons',
  'static_select', 'multi_static_select', 'external_select', 'multi_external_select', 'users_select',
  'multi_users_select', 'conversations_select', 'multi_conversations_select', 'channels_select', 'multi_channels_select',
];
export const ACCESSORY = new Set([...INTERACTIVE.filter((t) => t !== 'datetimepicker'), 'image']);
export const ACTIONS = new Set(INTERACTIVE);
export const INPUT = new Set([
  ...INTERACTIVE.filter((t) => t !== 'button' && t !== 'overflow'),
  'plain_text_input', 'number_input', 'email_text_input', 'url_text_input',
]);

export function element(c: Checker, v: unknown, ptr: string, allowed: Set<string>): Obj | undefined {
  if (!c.object(v, ptr)) return undefined;
  const spec = ELEMENTS[v.type];
  if (typeof v.type !== 'string' || !spec) {
    c.fail(`${ptr}/type`, `unsupported element type "${String(v.type)}"`);
    return undefined;
  }
  if (!allowed.has(v.type)) {
    c.fail(`${ptr}/type`, `element type "${v.type}" is not allowed here`);
    return undefined;
  }
  c.onlyKeys(v, ptr, spec.keys);
  if (spec.keys.includes('action_id')) c.string(v, 'action_id', ptr, { min: 1, max: 255 });
  if (spec.keys.includes('confirm')) c.confirm(v, ptr);
  c.bool(v, 'focus_on_load', ptr);
  spec.check(c, v, ptr);
  return v;
}
