/**
 * The checking primitives behind Block Kit validation: each problem is recorded the way Slack
 * reports it in `response_metadata.messages`: "[ERROR] <what> [json-pointer:/blocks/3/text/text]".
 */

export type Obj = Record<string, any>;
export type TextKind = 'plain' | 'mrkdwn' | 'any';

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const chars = (s: string): number => [...s].length;

export class Checker {
  readonly errors: string[] = [];

  fail(ptr: string, msg: string): void {
    this.errors.push(`[ERROR] ${msg} [json-pointer:${ptr}]`);
  }

  object(v: unknown, ptr: string): v is Obj {
    if (isObj(v)) return true;
    this.fail(ptr, 'must provide an object');
    return false;
  }

  onlyKeys(o: Obj, ptr: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.fail(`${ptr}/${k}`, `unsupported field "${k}"`);
    }
  }

  required(o: Obj, key: string, ptr: string): boolean {
    if (o[key] !== undefined && o[key] !== null) return true;
    this.fail(ptr, `missing required field: ${key}`);
    return false;
  }

  string(o: Obj, key: string, ptr: string, opts: { required?: boolean; max?: number; min?: number } = {}): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (opts.required) this.fail(ptr, `missing required field: ${key}`);
      return undefined;
    }
    const p = `${ptr}/${key}`;
    if (typeof v !== 'string') {
      this.fail(p, 'must provide a string');
      return undefined;
    }
    if (opts.min !== undefined && chars(v) < opts.min) this.fail(p, `must be more than ${opts.min - 1} characters`);
    if (opts.max !== undefined && chars(v) > opts.max) this.fail(p, `must be less than ${opts.max + 1} characters`);
    return v;
  }

  bool(o: Obj, key: string, ptr: string): void {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') this.fail(`${ptr}/${key}`, 'must provide a boolean');
  }

  int(o: Obj, key: string, ptr: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    const p = `${ptr}/${key}`;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.fail(p, 'must provide an integer');
      return undefined;
    }
    if (opts.min !== undefined && v < opts.min) this.fail(p, `must be at least ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) this.fail(p, `must be at most ${opts.max}`);
    return v;
  }

  oneOf(o: Obj, key: string, ptr: string, values: readonly string[]): void {
    const v = o[key];
    if (v !== undefined && !values.includes(v)) this.fail(`${ptr}/${key}`, `must be one of: ${values.join(', ')}`);
  }

  array(o: Obj, key: string, ptr: string, opts: { required?: boolean; min?: number; max?: number } = {}): unknown[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (opts.required) this.fail(ptr, `missing required field: ${key}`);
      return undefined;
    }
    const p = `${ptr}/${key}`;
    if (!Array.isArray(v)) {
      this.fail(p, 'must provide an array');
      return undefined;
    }
    if (opts.min !== undefined && v.length < opts.min) this.fail(p, `must provide at least ${opts.min} items`);
    if (opts.max !== undefined && v.length > opts.max) this.fail(p, `no more than ${opts.max} items allowed`);
    return v;
  }

  /** A text composition object. */
  textObject(v: unknown, ptr: string, kind: TextKind, max: number): void {
    if (!this.object(v, ptr)) return;
    const type = v.type;
    if (type !== 'plain_text' && type !== 'mrkdwn') {
      this.fail(`${ptr}/type`, 'must be one of: plain_text, mrkdwn');
      return;
    }
    if (kind === 'plain' && type !== 'plain_text') this.fail(`${ptr}/type`, 'must be plain_text');
    if (kind === 'mrkdwn' && type !== 'mrkdwn') this.fail(`${ptr}/type`, 'must be mrkdwn');
    this.onlyKeys(v, ptr, type === 'plain_text' ? ['type', 'text', 'emoji'] : ['type', 'text', 'verbatim']);
    this.string(v, 'text', ptr, { required: true, min: 1, max });
    this.bool(v, type === 'plain_text' ? 'emoji' : 'verbatim', ptr);
  }

  text(o: Obj, key: string, ptr: string, kind: TextKind, max: number, required = false): void {
    if (o[key] === undefined || o[key] === null) {
      if (required) this.fail(ptr, `missing required field: ${key}`);
      return;
    }
    this.textObject(o[key], `${ptr}/${key}`, kind, max);
  }

  confirm(o: Obj, ptr: string): void {
    const v = o.confirm;
    if (v === undefined) return;
    const p = `${ptr}/confirm`;
    if (!this.object(v, p)) return;
    this.onlyKeys(v, p, ['title', 'text', 'confirm', 'deny', 'style']);
    this.text(v, 'title', p, 'plain', 100, true);
    this.text(v, 'text', p, 'any', 300, true);
    this.text(v, 'confirm', p, 'plain', 30, true);
    this.text(v, 'deny', p, 'plain', 30, true);
    this.oneOf(v, 'style', p, ['primary', 'danger']);
  }

  option(v: unknown, ptr: string, textKind: TextKind, withUrl = false): void {
    if (!this.object(v, ptr)) return;
    this.onlyKeys(v, ptr, withUrl ? ['text', 'value', 'description', 'url'] : ['text', 'value', 'description']);
    this.text(v, 'text', ptr, textKind, 75, true);
    this.string(v, 'value', ptr, { required: true, max: 150 });
    this.text(v, 'description', ptr, textKind, 75);
    if (withUrl) this.string(v, 'url', ptr, { max: 3000 });
  }

  options(o: Obj, ptr: string, max: number, textKind: TextKind, withUrl = false): unknown[] | undefined {
    const list = this.array(o, 'options', ptr, { required: true, min: 1, max });
    list?.forEach((opt, i) => this.option(opt, `${ptr}/options/${i}`, textKind, withUrl));
    return list;
  }
}
