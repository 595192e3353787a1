import { DECLARE_BLOCKS as B, REVIEW_BLOCKS as R } from '../../src/slack/ids';
import { startTestHerald, type TestHerald } from '../support/harness';
import { declare, serviceId, waitForOutboxEmpty } from '../support/flows';
import { block, modalOpenedBy, setStatus } from '../support/reviewHelpers';
import { validateView } from '../support/slackStub';

const TOKEN = 'ci-token-0123456789abcdef';

const postDeployment = (t: TestHerald, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  fetch(`${t.baseUrl}/deployments`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

const deploymentRows = (t: TestHerald) => t.db.selectFrom('deployments').selectAll().orderBy('id').execute();

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('Deployments reported by CI pipelines', () => {
  let t: TestHerald;
  beforeEach(async () => {
    t = await startTestHerald({ env: { ALERTS_TOKEN: TOKEN } });
    await t.db.insertInto('services').values([
      { team_id: t.slack.teamId, name: 'Payments API', name_key: 'payments api' },
      { team_id: t.slack.teamId, name: 'Checkout', name_key: 'checkout' },
    ]).execute();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('a deployment posted before declaring shows on the card and, once, in the channel — not older ones, other services or staging', async () => {
    const shown = await postDeployment(t, {
      service: 'payments api',
      version: 'v2.14.0',
      summary: 'Retry card authorisations',
      author: 'dana',
      url: 'https://ci.example.com/runs/981',
      deployed_at: minutesAgo(20),
    });
    expect(shown.status).toBe(201);
    expect(await shown.json()).toMatchObject({ ok: true, service: 'Payments API', created: true, service_created: false });
    expect((await postDeployment(t, { service: 'Payments API', version: 'v2.13.9', deployed_at: minutesAgo(150) })).status).toBe(201);
    expect((await postDeployment(t, { service: 'Checkout', version: 'c-77', deployed_at: minutesAgo(10) })).status).toBe(201);
    expect((await postDeployment(t, { service: 'Payments API', version: 'v2.15.0-rc1', environment: 'staging' })).status).toBe(201);

    const incident = await declare(t, 'Card payments failing', { [B.services]: [await serviceId(t, 'Payments API')] });
    await waitForOutboxEmpty(t);

    const messages = t.slack.messagesIn(incident.channel.id);
    const card = messages.find((m) => m.ts === incident.channel.pins[0])!;
    const cardText = JSON.stringify(card.blocks);
    expect(cardText).toContain('v2.14.0');
    expect(cardText).toContain('Retry card authorisations');
    expect(cardText).toContain('https://ci.example.com/runs/981');
    for (const hidden of ['v2.13.9', 'c-77', 'v2.15.0-rc1']) expect(cardText).not.toContain(hidden);

    const told = messages.filter((m) => m.ts !== card.ts && JSON.stringify(m.blocks).includes('v2.14.0'));
    expect(told).toHaveLength(1);
    for (const hidden of ['v2.13.9', 'c-77', 'v2.15.0-rc1']) expect(JSON.stringify(told[0].blocks)).not.toContain(hidden);

    // A later change redraws the card: the deployments stay on it.
    await t.command('sev 2', { channel: incident.channel.id });
    await waitForOutboxEmpty(t);
    const redrawn = t.slack.messagesIn(incident.channel.id).find((m) => m.ts === card.ts)!;
    expect(JSON.stringify(redrawn.blocks)).toContain('SEV2');
    expect(JSON.stringify(redrawn.blocks)).toContain('v2.14.0');
  });

  it('a deployment reported after declaring, deployed in the change window before it, joins the card and is told once', async () => {
    const incident = await declare(t, 'Card payments failing', { [B.services]: [await serviceId(t, 'Payments API')] });
    await waitForOutboxEmpty(t);
    const cardTs = incident.channel.pins[0];
    const late = { service: 'Payments API', version: 'v2.14.0', summary: 'Retry card authorisations', deployed_at: minutesAgo(20) };
    expect((await postDeployment(t, late)).status).toBe(201);
    // Not linked: deployed too long before, to staging, or after the declaration.
    expect((await postDeployment(t, { service: 'Payments API', version: 'v2.13.9', deployed_at: minutesAgo(150) })).status).toBe(201);
    expect((await postDeployment(t, { service: 'Payments API', version: 'v2.15.0-rc1', environment: 'staging', deployed_at: minutesAgo(10) })).status).toBe(201);
    expect((await postDeployment(t, { service: 'Payments API', version: 'v2.16.0', deployed_at: new Date(Date.now() + 60_000).toISOString() })).status).toBe(201);
    // The pipeline retries: nothing twice.
    expect((await postDeployment(t, late)).status).toBe(200);
    await waitForOutboxEmpty(t);

    const messages = t.slack.messagesIn(incident.channel.id);
    const cardText = JSON.stringify(messages.find((m) => m.ts === cardTs)!.blocks);
    expect(cardText).toContain('v2.14.0');
    expect(cardText).toContain('Retry card authorisations');
    for (const hidden of ['v2.13.9', 'v2.15.0-rc1', 'v2.16.0']) expect(cardText).not.toContain(hidden);
    const told = messages.filter((m) => m.ts !== cardTs && JSON.stringify(m.blocks).includes('v2.14.0'));
    expect(told).toHaveLength(1);
    for (const hidden of ['v2.13.9', 'v2.15.0-rc1', 'v2.16.0']) expect(messages.some((m) => JSON.stringify(m.blocks).includes(hidden))).toBe(false);
    expect(await t.db.selectFrom('incident_deployments').select('deployment_id').execute()).toHaveLength(1);
  });

  it("the review offers the deployments shown at declaration, and keeps the one picked as the cause", async () => {
    await postDeployment(t, { service: 'Payments API', version: 'v2.14.0', author: 'dana', summary: 'Retry card authorisations', deployed_at: minutesAgo(30) });
    await postDeployment(t, { service: 'Payments API', version: 'v2.14.1', deployed_at: minutesAgo(5) });
    await postDeployment(t, { service: 'Checkout', version: 'c-77', deployed_at: minutesAgo(5) });
    const incident = await declare(t, 'Card payments failing', { [B.services]: [await serviceId(t, 'Payments API')] });
    await setStatus(t, incident.id, 'resolved');
    const openReview = () => modalOpenedBy(t, () => t.command('review', { channel: incident.channel.id }));

    const view = await openReview();
    expect(validateView(view, 'modal')).toEqual([]);
    const offered = block(view, R.causeDeployments);
    expect(offered.element.type).toBe('checkboxes');
    expect(offered.element.options.map((o: any) => o.text.text)).toEqual([expect.stringMatching(/^Payments API v2\.14\.1 · /), expect.stringMatching(/^Payments API v2\.14\.0 · /)]);
    expect(offered.element.options[1].description.text).toBe('by dana — Retry card authorisations');
    const v2140 = offered.element.options[1].value;

    // Ticking a deployment while saying no change caused it is a contradiction the form points out.
    const contradiction = await t.submitView(view, { [R.summary]: 'Card payments failed after a release', [R.impact]: 'EU card payments failed', [R.contributingFactors]: 'Retries doubled load', [R.changeCaused]: 'no', [R.causeDeployments]: [v2140] });
    expect(contradiction.json).toMatchObject({ response_action: 'errors', errors: { [R.causeDeployments]: expect.stringMatching(/Yes/) } });

    const saved = await t.submitView(view, { [R.summary]: 'Card payments failed after a release', [R.impact]: 'EU card payments failed', [R.contributingFactors]: 'Retries doubled load', [R.changeCaused]: 'yes', [R.causeDeployments]: [v2140] });
    expect(saved.json).toMatchObject({ response_action: 'update' });
    const links = await t.db
      .selectFrom('incident_deployments')
      .innerJoin('deployments', 'deployments.id', 'incident_deployments.deployment_id')
      .select(['deployments.version', 'incident_deployments.caused'])
      .where('incident_id', '=', incident.id)
      .orderBy('deployments.version')
      .execute();
    expect(links).toEqual([
      { version: 'v2.14.0', caused: true },
      { version: 'v2.14.1', caused: false },
    ]);

    // Reopened, the review shows the pick.
    const again = await openReview();
    expect(block(again, R.causeDeployments).element.initial_options.map((o: any) => o.value)).toEqual([v2140]);
  });

  it('an incident with no recent deployment gets no deployments message', async () => {
    const incident = await declare(t, 'Checkout slow', { [B.services]: [await serviceId(t, 'Checkout')] });
    await waitForOutboxEmpty(t);
    expect(t.slack.messagesIn(incident.channel.id).some((m) => /Deployed shortly before/.test(JSON.stringify(m.blocks)))).toBe(false);
  });

  it('the same deployment posted twice is one row: 201, then 200 changing nothing', async () => {
    const body = { service: 'Checkout', version: '1.0.0', summary: 'first', deployed_at: '2026-11-27T09:00:00Z' };
    const first = await postDeployment(t, body);
    expect(first.status).toBe(201);
    const again = await postDeployment(t, { ...body, summary: 'a retried job says something else', service: ' CHECKOUT ' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, created: false, id: ((await first.json()) as { id: number }).id });
    const rows = await deploymentRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ version: '1.0.0', environment: 'production', summary: 'first' });
    // Another environment is another deployment.
    expect((await postDeployment(t, { ...body, environment: 'staging' })).status).toBe(201);
    expect(await deploymentRows(t)).toHaveLength(2);
  });

  it('a service Herald does not know yet is created, so a pipeline never fails over it', async () => {
    const res = await postDeployment(t, { service: 'Search Indexer', version: 'abc123' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ service: 'Search Indexer', service_created: true });
    const services = await t.db.selectFrom('services').select('name').orderBy('name').execute();
    expect(services.map((s) => s.name)).toEqual(['Checkout', 'Payments API', 'Search Indexer']);
  });

  it('bad input gets 400 naming the field, a wrong token 401, an oversized body 413 — and leaves no row', async () => {
    const missing = await postDeployment(t, { service: 'New Service' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ field: 'version' });
    const badTime = await postDeployment(t, { service: 'Checkout', version: '1', deployed_at: 'yesterday' });
    expect(badTime.status).toBe(400);
    expect(await badTime.json()).toMatchObject({ field: 'deployed_at' });
    const badUrl = await postDeployment(t, { service: 'Checkout', version: '1', url: 'javascript:alert(1)' });
    expect(badUrl.status).toBe(400);
    expect(await badUrl.json()).toMatchObject({ field: 'url' });
    const notJson = await postDeployment(t, '{"service":');
    expect(notJson.status).toBe(400);
    expect((await postDeployment(t, { service: 'Checkout', version: '1' }, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await postDeployment(t, { service: 'Checkout', version: '1' }, {})).status).toBe(401);
    const huge = await postDeployment(t, { service: 'Checkout', version: '1', summary: 'x'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(await deploymentRows(t)).toEqual([]);
    expect(await t.db.selectFrom('services').select('name').where('name', '=', 'New Service').execute()).toEqual([]);
  });
});

describe('Deployments with no ALERTS_TOKEN configured', () => {
  it('answer 404 and store nothing', async () => {
    const t = await startTestHerald();
    try {
      const res = await postDeployment(t, { service: 'Checkout', version: '1' });
      expect(res.status).toBe(404);
      expect(await deploymentRows(t)).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
