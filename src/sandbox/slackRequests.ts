/**
 * Requests to Herald exactly as Slack sends them (raw body, timestamp, v0 HMAC signature), and the
 * state of a filled-in modal. The scenario tests and the sandbox both use them.
 */
import { createHmac } from 'node:crypto';

export interface SignedResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or null when it is empty or not JSON. */
  json: any;
  ms: number;
}

export interface SignOptions {
  secret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replaces the computed signature (to test forged requests). */
  signature?: string;
  headers?: Record<string, string>;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs to Herald exactly as Slack does: raw body, timestamp and v0 HMAC signature headers. */
export async function signedPost(url: string, body: string, contentType: string, options: SignOptions): Promise<SignedResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? signature(options.secret, timestamp, body),
      ...options.headers,
    },
    body,
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json, ms: performance.now() - started };
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Fills a modal the way a person would: answers by block_id; unanswered inputs keep their initial values. */
export function stateFor(view: any, answers: Record<string, unknown>): Record<string, Record<string, any>> {
  const values: Record<string, Record<string, any>> = {};
  for (const block of view.blocks ?? []) {
    if (block.type !== 'input') continue;
    const el = block.element;
    const answer = answers[block.block_id];
    const optionsOf = (): any[] => el.options ?? (el.option_groups ?? []).flatMap((g: any) => g.options);
    const pick = (value: unknown) => {
      const option = optionsOf().find((o: any) => o.value === value);
      if (!option) throw new Error(`No option "${String(value)}" in block ${block.block_id}`);
      return option;
    };
    let state: any;
    switch (el.type) {
      case 'plain_text_input':
        state = { value: answer !== undefined ? String(answer) : (el.initial_value ?? null) };
        break;
      case 'static_select':
      case 'radio_buttons':
        state = { selected_option: answer !== undefined ? (answer === null ? null : pick(answer)) : (el.initial_option ?? null) };
        break;
      case 'multi_static_select':
      case 'checkboxes':
        state = { selected_options: answer !== undefined ? (answer as unknown[]).map(pick) : (el.initial_options ?? []) };
        break;
      case 'users_select':
        state = { selected_user: answer !== undefined ? answer : (el.initial_user ?? null) };
        break;
      case 'multi_users_select':
        state = { selected_users: answer !== undefined ? answer : (el.initial_users ?? []) };
        break;
      case 'conversations_select':
        state = { selected_conversation: answer !== undefined ? answer : (el.initial_conversation ?? null) };
        break;
      case 'multi_conversations_select':
        state = { selected_conversations: answer !== undefined ? answer : (el.initial_conversations ?? []) };
        break;
      case 'datepicker':
        state = { selected_date: answer !== undefined ? answer : (el.initial_date ?? null) };
        break;
      case 'datetimepicker':
        state = { selected_date_time: answer !== undefined ? answer : (el.initial_date_time ?? null) };
        break;
      default:
        throw new Error(`stateFor does not know ${el.type}`);
    }
    values[block.block_id] = { [el.action_id]: { type: el.type, ...state } };
  }
  for (const key of Object.keys(answers)) {
    if (!values[key]) throw new Error(`The view has no input block "${key}"`);
  }
  return values;
}
