import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { createRateLimit, parsePayload, signalRoute, signatureProblem, type SignalRouteOptions } from '../../src/signals/http';

const TOKEN = 'a-token-of-sixteen-chars';

async function serve(options: Partial<SignalRouteOptions>) {
  const stored: unknown[] = [];
  const route = signalRoute({
    path: '/signal',
    token: TOKEN,
    rate: createRateLimit(1000),
    handle: async ({ body }) => {
      const parsed = parsePayload(z.object({ title: z.string().min(1) }), body);
      stored.push(parsed);
      return { status: 202, body: { ok: true } };
    },
    ...options,
  });
  const server = http.createServer((req, res) => void route.handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/signal`;
  return { stored, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const post = (url: string, body: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('The HTTP door every signal comes through', () => {
  it('does not exist without a token, refuses a wrong one, and stores a good one', async () => {
    const off = await serve({ token: undefined });
    expect((await post(off.url, '{"title":"x"}')).status).toBe(404);
    await off.close();
    const on = await serve({});
    expect((await post(on.url, '{"title":"x"}', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(on.url, '{"title":"x"}', {})).status).toBe(401);
    expect((await post(on.url, '{"title":"x"}')).status).toBe(202);
    expect(on.stored).toEqual([{ title: 'x' }]);
    await on.close();
  });

  it('names what is wrong with the JSON and refuses a body over 1 MiB, storing nothing', async () => {
    const s = await serve({});
    const broken = await post(s.url, '{"title":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ field: '(body)' });
    const missing = await post(s.url, '{"titel":"x"}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ field: 'title' });
    const big = await post(s.url, JSON.stringify({ title: 'x'.repeat(1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(s.stored).toEqual([]);
    await s.close();
  });

  it('answers 429 with Retry-After past the rate', async () => {
    const s = await serve({ rate: createRateLimit(2) });
    expect((await post(s.url, '{"title":"a"}')).status).toBe(202);
    expect((await post(s.url, '{"title":"b"}')).status).toBe(202);
    const third = await post(s.url, '{"title":"c"}');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(s.stored).toHaveLength(2);
    await s.close();
  });

  it("checks Grafana's signature over timestamp:body and refuses an old timestamp", () => {
    const check = { secret: 's3cret', signatureHeader: 'X-Grafana-Alerting-Signature', timestampHeader: 'X-Grafana-Alerting-Timestamp', maxAgeMs: 5 * 60_000 };
    const body = Buffer.from('{"a":1}');
    const now = 1_800_000_000_000;
    const sign = (ts: number) => createHmac('sha256', 's3cret').update(`${ts}:${body.toString()}`).digest('hex');
    const ts = now / 1000;
    expect(signatureProblem(check, { 'x-grafana-alerting-signature': sign(ts), 'x-grafana-alerting-timestamp': String(ts) }, body, now)).toBeNull();
    expect(signatureProblem(check, { 'x-grafana-alerting-signature': sign(ts - 301), 'x-grafana-alerting-timestamp': String(ts - 301) }, body, now)).toMatch(/older/);
    expect(signatureProblem(check, { 'x-grafana-alerting-signature': sign(ts + 1), 'x-grafana-alerting-timestamp': String(ts) }, body, now)).toMatch(/does not match/);
  });
});
