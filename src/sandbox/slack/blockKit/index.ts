/**
 * Block Kit validation with Slack's limits. Each problem is reported the way Slack reports it in
 * `response_metadata.messages`: "[ERROR] <what> [json-pointer:/blocks/3/text/text]".
 *
 * Stricter than Slack in one respect: fields a block, element or composition object does not
 * define are refused (Slack ignores some of them), which catches typos such as `imageUrl`.
 */

import { Checker, isObj, type Obj } from './checker';
import { ACCESSORY, ACTIONS, element, imageSource, INPUT } from './elements';

interface BlockSpec {
  keys: readonly string[];
  check(c: Checker, b: Obj, ptr: string): void;
}

const BLOCKS: Record<string, BlockSpec> = {
  section: {
    keys: ['type', 'block_id', 'text', 'fields', 'accessory', 'expand'],
    check(c, b, p) {
      if (b.text === undefined && b.fields === undefined) c.fail(p, 'must provide either text or fields');
      c.text(b, 'text', p, 'any', 3000);
      c.array(b, 'fields', p, { min: 1, max: 10 })?.forEach((f, i) => c.textObject(f, `${p}/fields/${i}`, 'any', 2000));
      if (b.accessory !== undefined) element(c, b.accessory, `${p}/accessory`, ACCESSORY);
      c.bool(b, 'expand', p);
    },
  },
  header: {
    keys: ['type', 'block_id', 'text'],
    check: (c, b, p) => c.text(b, 'text', p, 'plain', 150, true),
  },
  divider: { keys: ['type', 'block_id'], check: () => undefined },
  context: {
    keys: ['type', 'block_id', 'elements'],
    check(c, b, p) {
      c.array(b, 'elements', p, { required: true, min: 1, max: 10 })?.forEach((el, i) => {
        const ep = `${p}/elements/${i}`;
        if (isObj(el) && el.type === 'image') element(c, el, ep, new Set(['image']));
        else c.textObject(el, ep, 'any', 3000);
      });
    },
  },
  actions: {
    keys: ['type', 'block_id', 'elements'],
    check(c, b, p) {
      const seen = new Set<string>();
      c.array(b, 'elements', p, { required: true, min: 1, max: 25 })?.forEach((el, i) => {
        const e = element(c, el, `${p}/elements/${i}`, ACTIONS);
        if (e && typeof e.action_id === 'string') {
          if (seen.has(e.action_id)) c.fail(`${p}/elements/${i}/action_id`, `duplicate action_id "${e.action_id}"`);
          seen.add(e.action_id);
        }
      });
    },
  },
  input: {
    keys: ['type', 'block_id', 'label', 'element', 'hint', 'optional', 'dispatch_action'],
    check(c, b, p) {
      c.text(b, 'label', p, 'plain', 2000, true);
      if (c.required(b, 'element', p)) element(c, b.element, `${p}/element`, INPUT);
      c.text(b, 'hint', p, 'plain', 2000);
      c.bool(b, 'optional', p);
      c.bool(b, 'dispatch_action', p);
    },
  },
  image: {
    keys: ['type', 'block_id', 'image_url', 'slack_file', 'alt_text', 'title'],
    check(c, b, p) {
      imageSource(c, b, p);
      c.text(b, 'title', p, 'plain', 2000);
    },
  },
  rich_text: {
    keys: ['type', 'block_id', 'elements'],
    check(c, b, p) {
      c.array(b, 'elements', p, { required: true })?.forEach((el, i) => {
        if (c.object(el, `${p}/elements/${i}`) && typeof el.type !== 'string') c.fail(`${p}/elements/${i}`, 'missing required field: type');
      });
    },
  },
};

function blockList(c: Checker, blocks: unknown, ptr: string, max: number): unknown[] {
  if (!Array.isArray(blocks)) {
    c.fail(ptr, 'must provide an array');
    return [];
  }
  if (blocks.length > max) c.fail(ptr, `no more than ${max} items allowed`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const p = `${ptr}/${i}`;
    if (!c.object(b, p)) return;
    const spec = BLOCKS[b.type];
    if (typeof b.type !== 'string' || !spec) {
      c.fail(`${p}/type`, `unsupported block type "${String(b.type)}"`);
      return;
    }
    c.onlyKeys(b, p, spec.keys);
    const id = c.string(b, 'block_id', p, { min: 1, max: 255 });
    if (id !== undefined) {
      if (blockIds.has(id)) c.fail(`${p}/block_id`, `duplicate block_id "${id}"`);
      blockIds.add(id);
    }
    spec.check(c, b, p);
  });
  return blocks;
}

/** Problems with a message's `blocks` (chat.postMessage/update/postEphemeral, response_url). */
export function validateMessageBlocks(blocks: unknown): string[] {
  const c = new Checker();
  blockList(c, blocks, '/blocks', 50);
  return c.errors;
}

/** Problems with a `view` (modal for views.open/push/update, home for views.publish). */
export function validateView(view: unknown, kind: 'modal' | 'home'): string[] {
  const c = new Checker();
  const p = '/view';
  if (!c.object(view, p)) return c.errors;
  if (view.type !== kind) {
    c.fail(`${p}/type`, `must be ${kind}`);
    return c.errors;
  }
  c.string(view, 'private_metadata', p, { max: 3000 });
  c.string(view, 'callback_id', p, { max: 255 });
  c.string(view, 'external_id', p, { max: 255 });
  if (kind === 'modal') {
    c.text(view, 'title', p, 'plain', 24, true);
    c.text(view, 'close', p, 'plain', 24);
    c.text(view, 'submit', p, 'plain', 24);
    c.bool(view, 'clear_on_close', p);
    c.bool(view, 'notify_on_close', p);
    c.bool(view, 'submit_disabled', p);
  }
  if (!c.required(view, 'blocks', p)) return c.errors;
  const blocks = blockList(c, view.blocks, `${p}/blocks`, 100);
  if (kind === 'modal' && view.submit === undefined && blocks.some((b) => isObj(b) && b.type === 'input')) {
    c.fail(p, 'missing required field: submit (a view with input blocks needs a submit button)');
  }
  return c.errors;
}
