import { closeIncident } from '../../src/incidents/changes';
import { FOLLOW_UP_BLOCKS, REVIEW_ACTIONS, REVIEW_BLOCKS as B, REVIEW_DRAFT_OPTION, VIEWS } from '../../src/slack/ids';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { validateView } from '../support/slackStub';
import { block, changeDeps, declareIncident, modalOpenedBy, setStatus, textOf, type DeclaredIncident } from '../support/reviewHelpers';

const MINUTE = 60_000;

const reviewRow = (t: TestHerald, incidentId: number) => t.db.selectFrom('reviews').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
const published = (t: TestHerald, channelId: string) => t.slack.messagesIn(channelId).filter((m) => /^Post-incident review of incident/.test(m.text ?? ''));

const ANSWERS = {
  [B.impact]: 'Card payments failed for 40% of customers in the EU.',
  [B.contributingFactors]: 'The connection pool limit was lower in production than in staging, and no alert watched pool saturation.',
  [B.wentWell]: 'The payments dashboard showed the failure within a minute.',
  [B.toImprove]: 'Keep pool settings in one place for all environments.',
};

describe('Writing the blameless post-incident review', () => {
  let t: TestHerald;
  let incident: DeclaredIncident;

  /** An incident that was declared, mitigated 25 minutes later and resolved after 40. */
  async function resolvedIncident(options: { commander?: string } = {}): Promise<DeclaredIncident> {
    const [service] = await t.db.insertInto('services').values({ team_id: t.slack.teamId, name: 'Payments API', name_key: 'payments api' }).returning('id').execute();
    const declared = await declareIncident(t, { commander: options.commander ?? 'U1', summary: 'Card payments failed with 502s', serviceIds: [service.id] });
    // Declared an hour ago, so every change happens in the past.
    const declaredAt = new Date(Date.now() - 60 * MINUTE);
    await t.db.updateTable('incidents').set({ declared_at: declaredAt }).where('id', '=', declared.id).execute();
    await t.db.updateTable('timeline_events').set({ at: declaredAt }).where('incident_id', '=', declared.id).execute();
    await setStatus(t, declared.id, 'monitoring', new Date(declaredAt.getTime() + 25 * MINUTE));
    await setStatus(t, declared.id, 'resolved', new Date(declaredAt.getTime() + 40 * MINUTE));
    return { ...declared, declaredAt };
  }

  const openReview = (user = 'U1') => modalOpenedBy(t, () => t.command('review', { user, channel: incident.channelId }));

  beforeEach(async () => {
    t = await startTestHerald({ env: { REVIEW_DUE: 'SEV1=3d,SEV2=5d,SEV3=10d,SEV4=off' } });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('opens the review prefilled from what Herald knows, with hints about systems rather than people', async () => {
    incident = await resolvedIncident();
    const view = await openReview();
    expect(view.callback_id).toBe(VIEWS.review);
    expect(validateView(view, 'modal')).toEqual([]);
    expect(block(view, B.summary).element.initial_value).toBe('Card payments failed with 502s');
    expect(block(view, B.impact).element.initial_value).toBe('Affected services: Payments API.');
    const duration = block(view, B.impactDuration);
    expect(duration.element.initial_value).toBe('25m');
    expect(duration.hint.text).toMatch(/declared .* to mitigated/);
    expect(block(view, B.changeCaused).element.initial_option.value).toBe('unknown');
    expect(block(view, B.changeCaused).element.options.map((o: any) => o.value)).toEqual(['yes', 'no', 'unknown']);
    expect(block(view, B.changeReference)).toBeDefined();
    expect(block(view, B.contributingFactors).hint.text).toMatch(/conditions.*“how”, not “who”/);
    expect(block(view, B.draft).element.options[0].value).toBe(REVIEW_DRAFT_OPTION);
    expect(block(view, B.followUps).elements[0].action_id).toBe(REVIEW_ACTIONS.addFollowUp);
    // The timeline so far, for reference.
    const timeline = view.blocks.filter((b: any) => b.block_id?.startsWith(`${B.timeline}_`)).map((b: any) => b.text.text).join('\n');
    expect(timeline).toContain('Declared as SEV1');
    expect(timeline).toContain('Status changed from monitoring to resolved');
    expect(JSON.stringify(view.blocks)).toMatch(/not who/);
  });

  it('lets only the people who ran the incident write it, and only once it is resolved', async () => {
    incident = await declareIncident(t);
    const early = await t.command('review', { channel: incident.channelId });
    expect(early.json.text).toMatch(/still investigating.*resolved/);

    await setStatus(t, incident.id, 'resolved');
    const stranger = await t.command('review', { user: 'U3', channel: incident.channelId });
    expect(stranger.json.text).toMatch(/commander \(<@U1>\)/);
    const elsewhere = await t.command('review', { channel: 'CGENERAL' });
    expect(elsewhere.json.text).toMatch(/incident's own channel/);
    expect(t.slack.openedViews()).toHaveLength(1); // only the declare modal
  });

  it('gently hints when wording names a person as the cause, and keeps it when submitted again', async () => {
    incident = await resolvedIncident();
    const view = await openReview();
    const blaming = { ...ANSWERS, [B.contributingFactors]: '<@U3> broke the deploy script. Human error.' };

    const first = await t.submitView(view, blaming);
    expect(first.json.response_action).toBe('update');
    const hinted = first.json.view;
    expect(validateView(hinted, 'modal')).toEqual([]);
    expect(block(hinted, B.contributingFactors).hint.text).toMatch(/reads as if a person caused this.*systems and conditions.*Submit again to keep/);
    expect(block(hinted, B.contributingFactors).element.initial_value).toBe(blaming[B.contributingFactors]);
    expect(block(hinted, B.wentWell).hint.text).not.toMatch(/reads as if/);
    expect(block(hinted, B.notice)).toBeDefined();
    expect((await reviewRow(t, incident.id))!.status).toBe('pending');

    // Rewording to something else that blames gets the hint again…
    const again = await t.submitView({ ...view, private_metadata: hinted.private_metadata }, { ...blaming, [B.contributingFactors]: 'Bob should have checked the config.' });
    expect(again.json.response_action).toBe('update');
    expect(block(again.json.view, B.contributingFactors).hint.text).toMatch(/“should have”/);

    // …and the same wording submitted a second time is accepted as written.
    const kept = await t.submitView({ ...view, private_metadata: again.json.view.private_metadata }, { ...blaming, [B.contributingFactors]: 'Bob should have checked the config.' });
    expect(kept.json).toMatchObject({ response_action: 'update', view: { callback_id: VIEWS.reviewSaved } });
    expect((await reviewRow(t, incident.id))!.contributing_factors).toBe('Bob should have checked the config.');
  });

  it('saves a draft, reopens it where it was left, then publishes it in the channel and the announcement thread', async () => {
    incident = await resolvedIncident();
    const draft = await t.submitView(await openReview(), { [B.contributingFactors]: 'Pool limits differ between environments.', [B.draft]: [REVIEW_DRAFT_OPTION] });
    expect(draft.json).toMatchObject({ response_action: 'update', view: { callback_id: VIEWS.reviewSaved, title: { text: 'Draft saved' } } });
    await t.settle();
    expect((await reviewRow(t, incident.id))!.status).toBe('draft');
    expect(published(t, incident.channelId)).toHaveLength(0);
    // A draft is not a review: closing still asks.
    expect(await closeIncident(changeDeps(t), { incidentId: incident.id, actorId: 'U1', confirmed: false }, new Date())).toHaveProperty('needsConfirmation');

    const reopened = await openReview();
    expect(block(reopened, B.contributingFactors).element.initial_value).toBe('Pool limits differ between environments.');
    expect(JSON.stringify(block(reopened, B.intro))).toMatch(/Draft saved/);

    // Submitting needs the impact; the modal says so rather than publishing half a review.
    const incomplete = await t.submitView(reopened, { [B.impact]: '' });
    expect(incomplete.json.response_action).toBe('errors');
    expect(incomplete.json.errors[B.impact]).toMatch(/Needed to submit/);

    const submitted = await t.submitView(reopened, { ...ANSWERS, [B.changeCaused]: 'yes', [B.changeReference]: 'https://git.example.com/pr/481' });
    expect(submitted.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Review submitted' } } });
    // Slack delivers the same submission twice: one publication.
    await t.submitView(reopened, { ...ANSWERS, [B.changeCaused]: 'yes', [B.changeReference]: 'https://git.example.com/pr/481' });
    await t.settle();

    const [document] = published(t, incident.channelId);
    expect(published(t, incident.channelId)).toHaveLength(1);
    const text = textOf(document);
    for (const expected of ['Post-incident review', 'Card payments failed with 502s', ANSWERS[B.impact], 'no alert watched pool saturation', '25m', 'Yes — a change caused it', 'git.example.com/pr/481', '*Timeline*', 'Declared as SEV1']) {
      expect(text).toContain(expected);
    }
    const summary = t.slack.messagesIn(ANNOUNCE_CHANNEL).find((m) => m.thread_ts !== undefined && /review/i.test(textOf(m)))!;
    expect(textOf(summary)).toMatch(/Post-incident review published/);
    expect(textOf(summary)).toContain(`<#${incident.channelId}>`);
    expect((await reviewRow(t, incident.id))!.status).toBe('submitted');

    const closed = await closeIncident(changeDeps(t), { incidentId: incident.id, actorId: 'U1', confirmed: false }, new Date());
    expect(closed).toMatchObject({ changed: true });
  });

  it('edits a submitted review from the published document, publishing a revision', async () => {
    incident = await resolvedIncident();
    await t.submitView(await openReview(), ANSWERS);
    await t.settle();
    const [document] = published(t, incident.channelId);
    const edit = document.blocks!.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === REVIEW_ACTIONS.start);

    const view = await modalOpenedBy(t, () => t.clickButton(REVIEW_ACTIONS.start, edit.value, { channel: incident.channelId, messageTs: document.ts }));
    expect(block(view, B.impact).element.initial_value).toBe(ANSWERS[B.impact]);
    await t.submitView(view, { [B.toImprove]: 'Alert on pool saturation above 80%.' });
    await t.settle();

    const documents = published(t, incident.channelId);
    expect(documents).toHaveLength(2);
    expect(textOf(documents[1])).toContain('revision 2');
    expect(textOf(documents[1])).toContain('Alert on pool saturation above 80%.');
    expect(t.slack.messagesIn(ANNOUNCE_CHANNEL).filter((m) => m.thread_ts && /review/i.test(m.text ?? '')).map((m) => m.text)).toHaveLength(2);
  });

  it('publishes a long review across several messages without cutting a word, and resumes after a rate limit without repeating a part', async () => {
    incident = await resolvedIncident();
    for (let i = 0; i < 60; i += 1) {
      await t.db.insertInto('timeline_events').values({ incident_id: incident.id, at: new Date(incident.declaredAt.getTime() + i * 1000), kind: 'note', actor_id: 'U1', text: `Note ${i}: ${'checked the pool metrics again and compared them with staging '.repeat(3)}` }).execute();
    }
    const paragraph = (field: string, n: number) => `${field} paragraph ${n}: ${'the queue kept growing while the workers waited for connections '.repeat(6).trim()}.`;
    const long = (field: string) => Array.from({ length: 6 }, (_, n) => paragraph(field, n)).join('\n\n').slice(0, 3000);
    const answers = {
      [B.summary]: long('Summary'),
      [B.impact]: long('Impact'),
      [B.contributingFactors]: long('Factors'),
      [B.wentWell]: long('Well'),
      [B.toImprove]: long('Better'),
    };
    // Not announced, so the parts are the only posts: the first goes through, the second meets a rate
    // limit, and the outbox retries after Retry-After from the part it stopped at.
    await t.db.updateTable('incidents').set({ announcement_ts: null, announcement_channel_id: null }).where('id', '=', incident.id).execute();
    const view = await openReview();
    const posts = t.slack.okCallsTo('chat.postMessage').length;
    t.slack.failNext('chat.postMessage', { delayMs: 1 });
    t.slack.failNext('chat.postMessage', { retryAfter: 1 });
    await t.submitView(view, answers);
    await t.settle();
    await new Promise((r) => setTimeout(r, 1_200));
    await t.settle();

    const parts = published(t, incident.channelId);
    expect(parts.length).toBeGreaterThan(1);
    expect(t.slack.rateLimited).toBe(1);
    expect(t.slack.okCallsTo('chat.postMessage').length - posts).toBe(parts.length);
    parts.forEach((part, i) => {
      expect(part.text).toContain(`(part ${i + 1} of ${parts.length})`);
      expect(part.blocks!.length).toBeLessThanOrEqual(50);
      for (const b of part.blocks!) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    });
    const whole = parts.map((p) => p.blocks!.map((b: any) => b.text?.text ?? '').join('\n')).join('\n').replace(/\s+/g, ' ');
    for (const value of Object.values(answers)) expect(whole).toContain(value.replace(/\s+/g, ' '));
    expect(whole).toContain('Note 59:');
    expect(parts.map((p) => p.ts)).toEqual(((await t.db.selectFrom('review_revisions').select('published_ts').executeTakeFirstOrThrow()).published_ts));
  });

  it('adds a follow-up from inside the review modal without losing the review', async () => {
    incident = await resolvedIncident();
    const review = await openReview();
    const pushed = await modalOpenedBy(t, () => t.clickButton(REVIEW_ACTIONS.addFollowUp, String(incident.id), { viewId: review.id }));
    expect(pushed.callback_id).toBe(VIEWS.followUp);
    expect(t.slack.callsTo('views.push')).toHaveLength(1);
    expect(t.slack.views.get(pushed.id)!.stack).toEqual([review.id, pushed.id]);

    // An empty answer closes only the pushed form: Slack goes back to the review underneath.
    const added = await t.submitView(pushed, { [FOLLOW_UP_BLOCKS.title]: 'Alert on pool saturation', [FOLLOW_UP_BLOCKS.owner]: 'U2' });
    expect(added.text).toBe('');
    expect(await t.db.selectFrom('follow_ups').select(['title', 'owner_id']).execute()).toEqual([{ title: 'Alert on pool saturation', owner_id: 'U2' }]);
    const saved = await t.submitView(review, ANSWERS);
    expect(saved.json.view.callback_id).toBe(VIEWS.reviewSaved);
    await t.settle();
    expect(textOf(published(t, incident.channelId)[0])).toContain(ANSWERS[B.contributingFactors]);
  });

  it('tells the person inside the review modal when Add a follow-up cannot work, since a click in a modal has no response_url', async () => {
    incident = await resolvedIncident();
    const review = await openReview();
    const updates = t.slack.callsTo('views.update').length;
    await t.outage.cut();
    try {
      expect((await t.clickButton(REVIEW_ACTIONS.addFollowUp, String(incident.id), { viewId: review.id })).status).toBe(200);
      await waitFor(() => t.slack.callsTo('views.update').length > updates, 'the review modal to be updated');
    } finally {
      await t.outage.restore();
    }
    const shown = t.slack.views.get(review.id)!.view;
    expect(shown.callback_id).toBe(VIEWS.review);
    expect(JSON.stringify(shown.blocks[0])).toContain("Herald can't reach its database right now");
    // Everything the person wrote stays: the same inputs, by block id, so Slack keeps their values.
    expect(shown.blocks.slice(1).map((b: any) => b.block_id)).toEqual(review.blocks.map((b: any) => b.block_id));
    expect(t.slack.responses).toHaveLength(0);
  });

  it('keeps the published review’s facts whole however many services the incident had', async () => {
    incident = await resolvedIncident();
    const names = Array.from({ length: 60 }, (_, i) => `Service ${String(i + 1).padStart(2, '0')} — a rather long name for a service that customers use`);
    const services = await t.db.insertInto('services').values(names.map((name) => ({ team_id: t.slack.teamId, name, name_key: name.toLowerCase() }))).returning('id').execute();
    await t.db.insertInto('incident_services').values(services.map((r) => ({ incident_id: incident.id, service_id: r.id }))).execute();
    const review = await openReview();
    await t.submitView(review, { ...ANSWERS, [B.impactDuration]: '25m' });
    await t.settle();
    const facts: string = published(t, incident.channelId)[0].blocks![1].text.text;
    expect(facts.length).toBeLessThanOrEqual(3000);
    expect(facts).toMatch(/and \d+ more · \*Commander:\* <@U1>/);
    expect(facts).toContain('*Declared*');
    expect(facts).toContain('*Impact duration:* 25m');
  });
});
