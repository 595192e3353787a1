import { ALERT_ACTIONS, DECLARE_BLOCKS as D } from '../../src/slack/ids';
import { declare, serviceId } from '../support/flows';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { ALERTS_CHANNEL, ALERTS_ENV, fixture, postSignal, rowCounts, withAlertsChannel } from '../support/alerts';

const triageMessages = (t: TestHerald) => t.slack.messagesIn(ALERTS_CHANNEL).filter((m) => m.user === t.slack.botUserId);
const buttonsOf = (message: { blocks?: any[] }) => (message.blocks ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements);
const textOf = (message: { blocks?: any[] }) => JSON.stringify(message.blocks);

/** The real Alertmanager sample with a `service` label (and optionally a severity) added to its common labels. */
function alertmanagerFor(service: string, severity?: string) {
  const body = fixture('alertmanager-v4');
  body.commonLabels = { ...body.commonLabels, service, ...(severity ? { severity } : {}) };
  return body;
}

describe('Alerts from monitoring become triage messages', () => {
  let t: TestHerald;
  beforeEach(async () => {
    t = await startTestHerald({ env: ALERTS_ENV });
    withAlertsChannel(t);
  });
  afterEach(async () => {
    await t.stop();
  });

  it("turns Alertmanager's firing group into one triage message, and a retry of it changes nothing", async () => {
    const sent = fixture('alertmanager-v4');
    const first = await postSignal(t, '/alerts/alertmanager', sent);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, changed: true });
    await t.settle();
    const [message, ...others] = triageMessages(t);
    expect(others).toHaveLength(0);
    expect(message.text).toContain('NodeInstanceDown');
    expect(textOf(message)).toContain('1 of 1 firing');
    expect(textOf(message)).toContain('http://192.168.121.35:9090/graph');
    expect(textOf(message)).toContain('<!date^');
    expect(buttonsOf(message).map((b: any) => b.action_id)).toEqual([ALERT_ACTIONS.declare, ALERT_ACTIONS.dismiss]);

    // Alertmanager repeats the notification every repeat_interval, and retries one it thinks failed.
    for (let i = 0; i < 3; i += 1) {
      const again = await postSignal(t, '/alerts/alertmanager', sent);
      expect(again.status).toBe(200);
      expect(again.body.changed).toBe(false);
    }
    await t.settle();
    expect(triageMessages(t)).toHaveLength(1);
    expect(t.slack.callsTo('chat.update')).toHaveLength(0);
    expect(await rowCounts(t)).toEqual({ groups: 1, alerts: 1 });
  });

  it("edits the one message as Grafana's group changes: resolved alerts struck through, a repeat edits nothing", async () => {
    const firing = fixture('grafana');
    expect((await postSignal(t, '/alerts/grafana', firing)).status).toBe(200);
    await t.settle();
    expect(textOf(triageMessages(t)[0])).toContain('2 of 2 firing');

    const oneResolved = fixture('grafana');
    oneResolved.alerts[1].status = 'resolved';
    oneResolved.alerts[1].endsAt = '2021-10-12T10:06:03.157076+02:00';
    expect((await postSignal(t, '/alerts/grafana', oneResolved)).body.changed).toBe(true);
    await t.settle();
    const [message, ...others] = triageMessages(t);
    expect(others).toHaveLength(0);
    expect(message.edited).toBe(true);
    expect(textOf(message)).toContain('1 of 2 firing');
    expect(textOf(message)).toContain('~High CPU usage');
    const edits = t.slack.okCallsTo('chat.update').length;

    expect((await postSignal(t, '/alerts/grafana', oneResolved)).body.changed).toBe(false);
    await t.settle();
    expect(t.slack.okCallsTo('chat.update')).toHaveLength(edits);
  });

  it('keeps a storm of 1,000 alerts in one group to one message within Block Kit limits', async () => {
    const storm = fixture('alertmanager-v4');
    const [template] = storm.alerts;
    storm.alerts = Array.from({ length: 1000 }, (_, i) => ({ ...template, fingerprint: `storm${i}`, labels: { ...template.labels, pod: `pod-${i}` } }));
    expect((await postSignal(t, '/alerts/alertmanager', storm)).status).toBe(200);
    await t.settle();
    // Then the storm passes, notification by notification.
    for (const slice of [0, 500]) {
      const resolved = { ...storm, alerts: storm.alerts.slice(slice, slice + 500).map((a: any) => ({ ...a, status: 'resolved', endsAt: '2023-12-08T14:00:00Z' })) };
      expect((await postSignal(t, '/alerts/alertmanager', resolved)).status).toBe(200);
    }
    await t.settle();
    const [message, ...others] = triageMessages(t);
    expect(others).toHaveLength(0);
    expect(textOf(message)).toContain('All 1000 resolved');
    expect(textOf(message)).toContain('and 985 more');
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ALERTS_CHANNEL)).toHaveLength(1);
    expect(t.slack.callsTo('chat.update').every((c) => c.ok)).toBe(true);
    expect(await rowCounts(t)).toEqual({ groups: 1, alerts: 1000 });
  });

  it('Declare opens the declare modal prefilled from the alert; declaring attaches the group and the message links the incident', async () => {
    await t.db.insertInto('services').values({ team_id: t.slack.teamId, name: 'Payments API', name_key: 'payments api' }).execute();
    const payments = await serviceId(t, 'Payments API');
    const sent = await postSignal(t, '/alerts', {
      title: 'Checkout error rate above 5%',
      status: 'firing',
      dedup_key: 'checkout-errors',
      service: 'PAYMENTS api',
      severity: 'critical',
      summary: 'p95 of 5xx over 5 minutes',
      source_url: 'https://grafana.example.com/d/checkout',
    });
    expect(sent.status).toBe(200);
    await t.settle();
    const [message] = triageMessages(t);
    expect(textOf(message)).toContain('Payments API');

    const views = t.slack.openedViews().length;
    await t.clickButton(ALERT_ACTIONS.declare, String(sent.body.group_id), { channel: ALERTS_CHANNEL, messageTs: message.ts, user: 'U2' });
    await waitFor(() => t.slack.openedViews().length > views, 'the declare modal');
    const opened = [...t.slack.views.values()].at(-1)!;
    const block = (id: string) => opened.view.blocks.find((b: any) => b.block_id === id);
    expect(block(D.title).element.initial_value).toBe('Checkout error rate above 5%');
    expect(block(D.severity).element.initial_option.value).toBe('SEV1');
    expect(block(D.services).element.initial_options.map((o: any) => o.value)).toEqual([payments]);
    expect(block(D.summary).element.initial_value).toBe('p95 of 5xx over 5 minutes');

    const res = await t.submitView({ ...opened.view, id: opened.id, hash: opened.hash }, { [D.severity]: 'SEV1', [D.services]: [payments] }, { user: 'U2' });
    expect(res.status).toBe(200);
    await t.settle();
    const incident = await t.db.selectFrom('incidents').select(['id', 'number', 'channel_id']).executeTakeFirstOrThrow();
    const group = await t.db.selectFrom('alert_groups').select(['incident_id', 'attached_by']).executeTakeFirstOrThrow();
    expect(group).toEqual({ incident_id: incident.id, attached_by: 'U2' });
    // The channel is made after the declaration; the message links it once it exists.
    const after = await waitFor(async () => {
      await t.settle();
      const [m] = triageMessages(t);
      return textOf(m).includes(`<#${incident.channel_id}>`) ? m : null;
    }, 'the triage message to link the incident channel');
    expect(textOf(after)).toContain(`INC-${incident.number}`);
    expect(buttonsOf(after)).toHaveLength(0);
  });

  it('Attach puts the alerts on the incident timeline; when the whole group resolves its channel is told once', async () => {
    await t.db.insertInto('services').values({ team_id: t.slack.teamId, name: 'node', name_key: 'node' }).execute();
    const incident = await declare(t, 'Nodes are down', { [D.services]: [await serviceId(t, 'node')] });
    const firing = alertmanagerFor('Node');
    await postSignal(t, '/alerts/alertmanager', firing);
    await t.settle();
    const [message] = triageMessages(t);
    const attach = buttonsOf(message).find((b: any) => b.action_id === ALERT_ACTIONS.attach[0]);
    expect(attach.text.text).toBe(`Attach to INC-${incident.number}`);

    await t.clickButton(attach.action_id, attach.value, { channel: ALERTS_CHANNEL, messageTs: message.ts, user: 'U3' });
    await waitFor(async () => (await t.db.selectFrom('alert_groups').select('incident_id').executeTakeFirst())?.incident_id, 'the group attached');
    await t.settle();
    const timeline = await t.db.selectFrom('timeline_events').select(['kind', 'text', 'actor_id']).where('incident_id', '=', incident.id).where('kind', '=', 'alert').execute();
    expect(timeline).toEqual([expect.objectContaining({ actor_id: 'U3', text: expect.stringContaining('NodeInstanceDown') })]);
    expect(textOf(triageMessages(t)[0])).toContain(`Attached to *INC-${incident.number}*`);
    expect(textOf(triageMessages(t)[0])).toContain('<@U3>');

    const resolved = alertmanagerFor('Node');
    resolved.status = 'resolved';
    resolved.alerts[0].status = 'resolved';
    resolved.alerts[0].endsAt = '2023-12-08T13:30:00Z';
    for (let i = 0; i < 2; i += 1) expect((await postSignal(t, '/alerts/alertmanager', resolved)).status).toBe(200);
    await t.settle();
    const told = t.slack.messagesIn(incident.channel.id).filter((m) => /alerts of .* have resolved/.test(m.text ?? ''));
    expect(told).toHaveLength(1);
    const entries = await t.db.selectFrom('timeline_events').select('text').where('incident_id', '=', incident.id).where('kind', '=', 'alert').execute();
    expect(entries.map((e) => e.text)).toEqual([expect.stringContaining('attached'), expect.stringContaining('1 resolved')]);
  });

  it('records who dismissed a group, and the message keeps no buttons', async () => {
    const sent = await postSignal(t, '/alerts/grafana', fixture('grafana'));
    await t.settle();
    const [message] = triageMessages(t);
    await t.clickButton(ALERT_ACTIONS.dismiss, String(sent.body.group_id), { channel: ALERTS_CHANNEL, messageTs: message.ts, user: 'U2' });
    await waitFor(async () => (await t.db.selectFrom('alert_groups').select('dismissed_by').executeTakeFirst())?.dismissed_by === 'U2', 'the dismissal');
    await t.settle();
    expect(textOf(triageMessages(t)[0])).toContain('Dismissed by <@U2>');
    expect(buttonsOf(triageMessages(t)[0])).toHaveLength(0);
  });
});

describe("An ALERT_RULES rule's incident is led by a person", () => {
  let t: TestHerald;
  beforeEach(async () => {
    t = await startTestHerald({ env: { ...ALERTS_ENV, ALERT_RULES: 'severity=critical:SEV1' } });
    withAlertsChannel(t);
  });
  afterEach(async () => {
    await t.stop();
  });
  const incident = () => t.db.selectFrom('incidents').select(['declared_by', 'commander_id', 'channel_id']).executeTakeFirstOrThrow();

  it("makes the owner of the alert's service its commander: invited, and named on the card", async () => {
    await t.db.insertInto('services').values({ team_id: t.slack.teamId, name: 'Node', name_key: 'node', owner_id: 'U2' }).execute();
    expect((await postSignal(t, '/alerts/alertmanager', alertmanagerFor('node', 'critical'))).status).toBe(200);
    await t.settle();
    const declared = await incident();
    expect(declared).toMatchObject({ declared_by: t.slack.botUserId, commander_id: 'U2' });
    const channel = t.slack.channels.get(declared.channel_id!)!;
    expect([...channel.members]).toContain('U2');
    const [card] = t.slack.messagesIn(channel.id);
    expect(textOf(card)).toContain('<@U2>');
    expect(textOf(triageMessages(t)[0])).not.toContain('no commander');
  });

  it('says in the alerts channel that nobody leads it when the service has no owner', async () => {
    await t.db.insertInto('services').values({ team_id: t.slack.teamId, name: 'Node', name_key: 'node' }).execute();
    expect((await postSignal(t, '/alerts/alertmanager', alertmanagerFor('node', 'critical'))).status).toBe(200);
    await t.settle();
    const declared = await incident();
    await waitFor(async () => {
      await t.settle();
      return textOf(triageMessages(t)[0]).includes(`<#${declared.channel_id}>`);
    }, 'the triage message to link the incident channel');
    const [message, ...others] = triageMessages(t);
    expect(others).toHaveLength(0);
    expect(textOf(message)).toContain('INC-1 has no commander');
    expect(textOf(message)).toContain('/incident role commander');

    // Once every edit queued so far has gone out, someone takes the lead: the warning goes at once,
    // with no further alert from the group.
    await waitFor(async () => {
      await t.settle();
      return (await t.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length === 0;
    }, 'the queued Slack work to be done');
    expect(textOf(triageMessages(t)[0])).toContain('INC-1 has no commander');
    expect((await t.command('role commander <@U7>', { channel: declared.channel_id!, user: 'U7' })).status).toBe(200);
    await waitFor(async () => {
      await t.settle();
      return !textOf(triageMessages(t)[0]).includes('has no commander');
    }, 'the triage message to drop its warning');
    expect(triageMessages(t)).toHaveLength(1);
    expect(textOf(triageMessages(t)[0])).toContain(`<#${declared.channel_id}>`);
  });
});

describe('Alerts in Socket Mode', () => {
  it('are taken on PORT beside the health routes, as in HTTP mode', async () => {
    const t = await startTestHerald({ socketMode: true, env: ALERTS_ENV });
    try {
      withAlertsChannel(t);
      expect((await postSignal(t, '/alerts/grafana', fixture('grafana'))).status).toBe(200);
      await t.settle();
      expect(triageMessages(t)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});
