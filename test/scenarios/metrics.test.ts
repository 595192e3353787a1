import { loadConfig } from '../../src/config';
import { PROVISION_JOB } from '../../src/incidents/declare';
import { UPDATE_PROMPT_JOB } from '../../src/comms/prompts';
import { UPDATE_DELIVERY_JOB } from '../../src/comms/statusUpdates';
import { declare, dmsTo, postUpdate, waitForOutboxEmpty } from '../support/flows';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { usingServer } from '../support/database';
import { scrape, valueOf, type Sample } from '../support/metrics';

const MINUTE = 60_000;

/** Every label value that is not a histogram bucket bound. */
const labelValues = (samples: Sample[]) => samples.flatMap((s) => Object.entries(s.labels).filter(([k]) => k !== 'le').map(([, v]) => v));

describe('GET /metrics tells the people who run Herald what it did', () => {
  let t: TestHerald;
  /** Real time, moved forward when the test needs an update to fall due. */
  let skew = 0;
  beforeEach(async () => {
    skew = 0;
    t = await startTestHerald({ clock: () => new Date(Date.now() + skew) });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('after a declaration, an update, Slack errors and a rate limit, counts what each caused — with no user, channel or incident in any label', async () => {
    const incident = await declare(t, 'Checkout down');
    // Two commands whose modal Slack refuses: a code Herald knows, and one it has never heard of.
    t.slack.failNext('views.open', { error: 'expired_trigger_id' });
    await t.command('update', { channel: incident.channel.id });
    t.slack.failNext('views.open', { error: 'brand_new_error_code' });
    await t.command('update', { channel: incident.channel.id });
    // The update's first post to the incident channel is rate-limited; Herald waits as asked, then posts it.
    t.slack.failNext('chat.postMessage', { retryAfter: 1 });
    await postUpdate(t, incident);
    // A reaction Herald does not act on is still an event to acknowledge.
    expect((await t.event({ type: 'reaction_added', user: 'U2', reaction: 'eyes', item: { type: 'message', channel: incident.channel.id, ts: '1700000000.000100' } })).status).toBe(200);
    await waitForOutboxEmpty(t);
    await t.herald.scheduler.tick();

    const { status, contentType, samples } = await scrape(t);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    // Requests by surface, each acknowledged: four commands, two modal submissions.
    expect(valueOf(samples, 'herald_slack_requests_total', { surface: 'command' })).toBe(4);
    expect(valueOf(samples, 'herald_slack_ack_seconds_count', { surface: 'command' })).toBe(4);
    expect(valueOf(samples, 'herald_slack_requests_total', { surface: 'view' })).toBe(2);
    expect(valueOf(samples, 'herald_slack_ack_seconds_count', { surface: 'view' })).toBe(2);
    expect(valueOf(samples, 'herald_slack_ack_seconds_bucket', { surface: 'view', le: '+Inf' })).toBe(2);
    expect(valueOf(samples, 'herald_slack_ack_seconds_count', { surface: 'event' })).toBe(1);
    expect(valueOf(samples, 'herald_slack_requests_total', { surface: 'action' })).toBe(0);

    // Slack calls by method and outcome.
    expect(valueOf(samples, 'herald_slack_api_calls_total', { method: 'conversations.create', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'herald_slack_api_calls_total', { method: 'views.open', outcome: 'expired_trigger_id' })).toBe(1);
    expect(valueOf(samples, 'herald_slack_api_calls_total', { method: 'views.open', outcome: 'other' })).toBe(1);
    expect(valueOf(samples, 'herald_slack_api_calls_total', { method: 'views.open', outcome: 'ok' })).toBe(2);
    expect(valueOf(samples, 'herald_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'rate_limited' })).toBe(1);
    expect(valueOf(samples, 'herald_slack_api_call_seconds_count', { method: 'chat.postMessage' })).toBe(valueOf(samples, 'herald_slack_api_calls_total', { method: 'chat.postMessage' }));

    // The outbox: the rate-limited post waited once, then everything was delivered.
    expect(valueOf(samples, 'herald_outbox_retries_total', { cause: 'rate_limited' })).toBe(1);
    expect(valueOf(samples, 'herald_outbox_retries_total', { cause: 'error' })).toBeUndefined();
    expect(valueOf(samples, 'herald_outbox_jobs_done_total', { kind: PROVISION_JOB })).toBe(1);
    expect(valueOf(samples, 'herald_outbox_jobs_done_total', { kind: UPDATE_DELIVERY_JOB })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'herald_outbox_pending_jobs')).toBeUndefined();
    expect(valueOf(samples, 'herald_outbox_given_up_jobs')).toBeUndefined();

    // The scheduler's tick, job by job; the database; incidents; the process.
    expect(valueOf(samples, 'herald_scheduler_job_seconds_count', { job: 'outbox' })).toBe(1);
    expect(valueOf(samples, 'herald_scheduler_job_seconds_count', { job: 'updatePrompts' })).toBe(1);
    const database = usingServer ? 'postgres' : 'embedded';
    expect(valueOf(samples, 'herald_db_pool_max', { database })).toBe(usingServer ? 10 : 1);
    expect(valueOf(samples, 'herald_db_pool_waiting', { database })).toBe(0);
    expect(valueOf(samples, 'herald_database_up')).toBe(1);
    expect(valueOf(samples, 'herald_incidents_open', { severity: 'SEV1' })).toBe(1);
    expect(valueOf(samples, 'herald_incidents_open', { severity: 'SEV2' })).toBe(0);
    expect(valueOf(samples, 'herald_updates_overdue', { severity: 'SEV1' })).toBe(0);
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    // No label names a person, a channel, the workspace or an incident.
    const ids = new Set(['U1', 'U2', 'U3', ...t.slack.channels.keys(), t.slack.teamId, t.slack.botUserId, t.slack.botId, String(incident.number), String(incident.id)]);
    // (Node's own version_info has numeric labels: only Herald's series are held to that.)
    const values = labelValues(samples.filter((s) => s.name.startsWith('herald_')));
    expect(values.length).toBeGreaterThan(20);
    expect(values.filter((v) => ids.has(v) || /^[UWCGDT][A-Z0-9]{2,}$/.test(v) || /^\d+$/.test(v))).toEqual([]);
  });

  it('counts an incident whose update is past due, and how long the oldest job has waited', async () => {
    await declare(t, 'Checkout down');
    t.slack.failNext('chat.postMessage', { status: 503, times: 1_000 });
    // SEV1 updates are due every 15 minutes; none was sent.
    skew = 16 * MINUTE;
    await t.herald.scheduler.tick();
    const due = await scrape(t);
    expect(valueOf(due.samples, 'herald_updates_overdue', { severity: 'SEV1' })).toBe(1);
    // The prompt to the comms lead could not be sent: Slack answered 503, and the prompt waits to be retried.
    expect(valueOf(due.samples, 'herald_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'http_error' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(due.samples, 'herald_outbox_retries_total', { kind: UPDATE_PROMPT_JOB, cause: 'error' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(due.samples, 'herald_outbox_pending_jobs', { kind: UPDATE_PROMPT_JOB })).toBe(1);

    skew += 5 * MINUTE;
    const later = await scrape(t);
    expect(valueOf(later.samples, 'herald_outbox_oldest_pending_seconds', { kind: UPDATE_PROMPT_JOB })).toBeGreaterThanOrEqual(5 * 60);
  });

  it('counts a job that gave up, as /readyz does, and Slack\'s refusal that caused it', async () => {
    t.slack.failNext('conversations.create', { error: 'restricted_action' });
    await declare(t, 'Checkout down').catch(() => undefined);
    await waitFor(async () => {
      await t.settle();
      return dmsTo(t, 'U1').length > 0;
    }, 'the declarer to be told');
    const { samples } = await scrape(t);
    expect(valueOf(samples, 'herald_slack_api_calls_total', { method: 'conversations.create', outcome: 'restricted_action' })).toBe(1);
    expect(valueOf(samples, 'herald_outbox_give_ups_total', { kind: PROVISION_JOB })).toBe(1);
    expect(valueOf(samples, 'herald_outbox_given_up_jobs', { kind: PROVISION_JOB })).toBe(1);
    const ready = (await (await fetch(`${t.baseUrl}/readyz`)).json()) as { outbox: { byKind: Record<string, number> } };
    expect(ready.outbox.byKind[PROVISION_JOB]).toBe(1);
  });

  it('answers at once when the database is away, with what it can report, and recovers', async () => {
    await declare(t, 'Checkout down');
    await t.outage.cut();
    const down = await scrape(t);
    expect(down.status).toBe(200);
    expect(valueOf(down.samples, 'herald_database_up')).toBe(0);
    expect(valueOf(down.samples, 'herald_incidents_open')).toBeUndefined();
    expect(valueOf(down.samples, 'herald_slack_api_calls_total', { method: 'conversations.create', outcome: 'ok' })).toBe(1);
    await t.outage.restore();
    const back = await waitFor(async () => {
      const s = await scrape(t);
      return valueOf(s.samples, 'herald_database_up') === 1 ? s : null;
    }, 'the database figures to come back');
    expect(valueOf(back.samples, 'herald_incidents_open', { severity: 'SEV1' })).toBe(1);

    // A database that accepts and never answers: the scrape still answers, within its reading deadline.
    await t.outage.hang();
    const hung = await scrape(t);
    expect(hung.status).toBe(200);
    expect(valueOf(hung.samples, 'herald_database_up')).toBe(0);
    expect(valueOf(hung.samples, 'herald_slack_requests_total', { surface: 'view' })).toBe(1);
    await t.outage.restore();
  });
});

describe('METRICS_TOKEN', () => {
  const TOKEN = 'metrics-scrape-token-0123456789';
  let t: TestHerald;
  beforeEach(async () => {
    t = await startTestHerald({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('is refused at start-up when shorter than 16 characters, without showing it', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', METRICS_TOKEN: 'short-token' })).toThrow(/^METRICS_TOKEN: expected a secret of at least 16 characters$/m);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', METRICS_TOKEN: 'short-token' })).not.toThrow(/short-token/);
  });

  it('is required as a bearer token when set: none or a wrong one gets 401 and no figures', async () => {
    const none = await scrape(t);
    expect(none.status).toBe(401);
    expect(none.text).not.toContain('herald_');
    const wrong = await scrape(t, 'metrics-scrape-token-0123456780');
    expect(wrong.status).toBe(401);
    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const right = await scrape(t, TOKEN);
    expect(right.status).toBe(200);
    expect(valueOf(right.samples, 'herald_slack_api_calls_total', { method: 'auth.test', outcome: 'ok' })).toBe(1);
  });
});

describe('In Socket Mode', () => {
  let t: TestHerald;
  beforeEach(async () => {
    t = await startTestHerald({ socketMode: true });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('serves /metrics on PORT too, counting requests acknowledged over the socket', async () => {
    const res = await t.command('help');
    expect(res.status).toBe(200);
    const { status, samples } = await scrape(t);
    expect(status).toBe(200);
    expect(valueOf(samples, 'herald_slack_ack_seconds_count', { surface: 'command' })).toBe(1);
    expect(valueOf(samples, 'herald_slack_api_calls_total', { method: 'apps.connections.open', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  });
});
