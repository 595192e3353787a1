/**
 * Reading Web API arguments the way Slack does: form posts carry every value as a string
 * (nested values JSON-encoded), JSON posts carry real types. Refusals are thrown as ApiRefusal.
 */

/** A refusal: answered as HTTP 200 {ok:false, error: code, ...extra}. */
export class ApiRefusal extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

export function refuse(code: string, messages?: string[]): never {
  throw new ApiRefusal(code, messages && messages.length > 0 ? { response_metadata: { messages } } : {});
}

/** `invalid_arguments` with Slack's "[ERROR] …" style explanation. */
export function invalidArguments(message: string, pointer?: string): never {
  refuse('invalid_arguments', [`[ERROR] ${message}${pointer ? ` [json-pointer:${pointer}]` : ''}`]);
}

/** Arguments whose values may be JSON-encoded strings in a form post. */
export const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'] as const;

export class Args {
  constructor(readonly raw: Record<string, any>) {}

  has(key: string): boolean {
    const v = this.raw[key];
    return v !== undefined && v !== null;
  }

  /** A string argument; numbers are stringified; absent → undefined. */
  str(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    invalidArguments(`must provide a string`, `/${key}`);
  }

  /** A non-empty string argument, or undefined. */
  nonEmpty(key: string): string | undefined {
    const v = this.str(key);
    return v === undefined || v === '' ? undefined : v;
  }

  bool(key: string): boolean {
    const v = this.raw[key];
    if (v === undefined || v === null) return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return v === 'true' || v === '1';
    invalidArguments(`must provide a boolean`, `/${key}`);
  }

  int(key: string): number | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n)) invalidArguments(`must provide an integer`, `/${key}`);
    return n;
  }

  /** A comma-separated list (or a JSON array). */
  list(key: string): string[] {
    const v = this.raw[key];
    if (v === undefined || v === null) return [];
    const items: unknown[] = Array.isArray(v) ? v : String(v).split(',');
    return items.map((s) => String(s).trim()).filter((s) => s.length > 0);
  }

  /**
   * A JSON argument: objects/arrays pass through, strings are parsed.
   * Returns { ok: false } when the string is not JSON.
   */
  json(key: string): { ok: true; value: unknown } | { ok: false } | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return { ok: true, value: v };
    try {
      return { ok: true, value: JSON.parse(v) };
    } catch {
      return { ok: false };
    }
  }
}

/** Decode JSON-encoded fields for the call record (leave undecodable values as they came). */
export function decodeForRecord(raw: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...raw };
  delete out.token;
  for (const key of JSON_FIELDS) {
    if (typeof out[key] === 'string') {
      try {
        out[key] = JSON.parse(out[key]);
      } catch {
        /* keep the string */
      }
    }
  }
  return out;
}
