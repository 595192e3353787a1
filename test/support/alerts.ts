import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestHerald } from './harness';

export const ALERTS_TOKEN = 'alerts-test-token-0123456789';
export const ALERTS_CHANNEL = 'CALERTS';

/** The alert settings a test Herald runs with (ALERTS_CHANNEL must exist in the stand-in: see withAlertsChannel). */
export const ALERTS_ENV = { ALERTS_TOKEN, ALERTS_CHANNEL };

/** A real sample payload from test/fixtures/alerts (see its README for where each comes from). */
export function fixture(name: 'alertmanager-v4' | 'grafana'): any {
  // From test/support under jest, or from dist/test/support when the bench runs compiled.
  const here = join(__dirname, '..', 'fixtures', 'alerts');
  const dir = existsSync(here) ? here : join(__dirname, '..', '..', '..', 'test', 'fixtures', 'alerts');
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
}

export function withAlertsChannel(t: Pick<TestHerald, 'slack'>): void {
  if (!t.slack.channels.has(ALERTS_CHANNEL)) t.slack.addChannel({ id: ALERTS_CHANNEL, name: 'alerts', members: [t.slack.botUserId, 'U1', 'U2'] });
}

/** POSTs to one of Herald's signal endpoints as a monitoring system does. */
export async function postSignal(t: Pick<TestHerald, 'baseUrl'>, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, body: json };
}

export const rowCounts = async (t: Pick<TestHerald, 'db'>) => {
  const count = async (table: 'alert_groups' | 'alerts') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return { groups: await count('alert_groups'), alerts: await count('alerts') };
};
