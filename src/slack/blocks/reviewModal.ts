import type { LinkedDeployment } from '../../incidents/model';
import type { TimelineEvent } from '../../incidents/timelineRepository';
import type { BlameFinding, CheckedField } from '../../reviews/blameless';
import { CHANGE_CAUSED, impactWindow, type ChangeCaused, type ReviewContent } from '../../reviews/model';
import type { ReviewForm } from '../../reviews/writeReview';
import { REVIEW_ACTIONS, REVIEW_BLOCKS as B, REVIEW_DRAFT_OPTION, VIEWS } from '../ids';
import { incidentLabel, severityBadge } from './incidentText';
import type { KnownBlock, ModalView } from './kit';
import { mrkdwnKeepingMentions } from './longText';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate } from './text';

/** Slack's cap on a plain_text_input. */
export const REVIEW_TEXT_MAX = 3000;
export const IMPACT_DURATION_MAX = 100;
export const CHANGE_REFERENCE_MAX = 500;
/** The timeline shown for reference takes at most this many sections, keeping the modal far from 100 blocks. */
const TIMELINE_SECTIONS = 8;
const TIMELINE_SECTION_CHARS = 2900;
const TIMELINE_LINE_CHARS = 400;

export const CHANGE_CAUSED_LABELS: Record<ChangeCaused, string> = {
  yes: 'Yes — a change caused it',
  no: 'No',
  unknown: 'Not known yet',
};

/** What the review modal remembers between submissions; kept small for private_metadata. */
export interface ReviewModalMetadata {
  /** The incident id. */
  i: number;
  /** Fingerprint of the wording the blameless hint was shown for: submitting it again keeps it. */
  h?: string;
}

export function parseReviewMetadata(text: string): ReviewModalMetadata | null {
  try {
    const value = JSON.parse(text) as ReviewModalMetadata;
    return Number.isInteger(value?.i) ? value : null;
  } catch {
    return null;
  }
}

const HINTS: Record<keyof ReviewContent, string> = {
  summary: 'What happened, in a few sentences a newcomer would follow.',
  impact: 'Who was affected and how: customers, requests, money, data.',
  impactDuration: '',
  contributingFactors: 'Which conditions made this possible — monitoring, tests, tooling, documentation, capacity, time pressure? Ask “how”, not “who”.',
  changeCaused: '',
  changeReference: 'A link or reference to the deploy, PR, config change or ticket.',
  wentWell: 'What helped: alerts that fired, runbooks that worked, people who knew where to look.',
  toImprove: 'What in our systems and ways of working would make this less likely or shorter next time.',
};

const LABELS: Record<CheckedField, string> = {
  summary: 'Summary',
  impact: 'Customer impact',
  contributingFactors: 'Contributing factors',
  wentWell: 'What went well',
  toImprove: 'What could be better',
};

/** The gentle hint shown under a field whose wording names a person as the cause. */
export function blamelessHint(phrase: string): string {
  return truncate(
    `“${phrase}” reads as if a person caused this. A blameless review asks what about our systems and conditions made it possible — could you describe that instead? Submit again to keep your wording.`,
    2000,
  );
}

function utcTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The hint under the impact duration: how Herald computed it, so the person can judge it. */
function impactDurationHint(form: ReviewForm): string {
  const window = impactWindow(form.incident);
  if (!window) return 'How long customers were affected.';
  const { incident } = form;
  const startWord = incident.impactStartedAt ? 'impact started' : 'declared';
  const endWord = incident.impactEndedAt ? 'impact ended' : incident.mitigatedAt ? 'mitigated' : 'resolved';
  return `Computed from ${startWord} (${utcTime(window.start)}) to ${endWord} (${utcTime(window.end)}). Correct the impact times below if customers were affected earlier or longer.`;
}

/** What the impact pickers show: the times as submitted, else as recorded (or inferred) for the incident. */
export interface ImpactTimes {
  startedAt: Date;
  endedAt: Date | null;
}

export function recordedImpactTimes(form: ReviewForm): ImpactTimes {
  const window = impactWindow(form.incident);
  return { startedAt: window?.start ?? form.incident.impactStartedAt ?? form.incident.declaredAt, endedAt: window?.end ?? null };
}

function dateTimeInput(block: string, label: string, at: Date | null, hint: string): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    optional: true,
    label: plain(label),
    hint: plain(hint, 2000),
    element: { type: 'datetimepicker', action_id: block, ...(at ? { initial_date_time: Math.floor(at.getTime() / 1000) } : {}) },
  };
}

function textInput(block: string, label: string, value: string, options: { multiline?: boolean; max?: number; optional?: boolean; hint?: string; placeholder?: string }): KnownBlock {
  const max = options.max ?? REVIEW_TEXT_MAX;
  return {
    type: 'input',
    block_id: block,
    optional: options.optional ?? true,
    label: plain(label, 2000),
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: block,
      multiline: options.multiline ?? true,
      max_length: max,
      ...(value ? { initial_value: truncate(value, max) } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder, 150) } : {}),
    },
  };
}

/** The timeline, oldest first, in as many sections as fit the modal; what does not fit is counted. */
export function timelineSections(events: TimelineEvent[], maxSections: number, blockIdPrefix?: string): KnownBlock[] {
  const lines = events.map((e) => `${slackDate(e.at, '{date_short} {time}')} ${mrkdwnKeepingMentions(truncate(e.text, TIMELINE_LINE_CHARS))}`);
  const sections: string[] = [];
  let current = '';
  let shown = 0;
  for (const line of lines) {
    if (current && current.length + line.length + 1 > TIMELINE_SECTION_CHARS) {
      if (sections.length + 1 >= maxSections) break;
      sections.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
    shown += 1;
  }
  if (current) sections.push(current);
  const blocks: KnownBlock[] = sections.map((text, i) => ({
    type: 'section',
    ...(blockIdPrefix ? { block_id: `${blockIdPrefix}_${i}` } : {}),
    text: mrkdwn(text, LIMITS.sectionText),
  }));
  if (shown < lines.length) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${lines.length - shown} later events not shown here.`)] });
  return blocks;
}

function statusLine(form: ReviewForm): string {
  const review = form.review;
  if (review?.status === 'submitted') {
    return `:white_check_mark: Published${review.submittedAt ? ` ${slackDate(review.submittedAt)}` : ''}. Submitting again publishes a revised version; “Save as draft” keeps your edits without publishing.`;
  }
  const due = review?.dueAt ? `Due ${slackDate(review.dueAt)}.` : 'No review is required for this severity, but it is always welcome.';
  if (review?.status === 'draft' && review.updatedAt) return `:pencil2: Draft saved ${slackDate(review.updatedAt)} by <@${review.updatedBy}>. ${due}`;
  return due;
}

export interface ReviewModalInput extends ReviewForm {
  /** The values to show (the prefill, or what the person submitted). */
  values: ReviewContent;
  /** Fields whose wording named a person as the cause, with the fingerprint that accepts them as written. */
  hints?: { findings: BlameFinding[]; fingerprint: string };
  /** The impact times to show, when redrawing what the person submitted. */
  impactTimes?: ImpactTimes;
  /** The deployments ticked, when redrawing what the person submitted; else those saved as the cause. */
  causeDeploymentIds?: number[];
}

/** Slack shows up to 10 checkboxes; beyond that the deployments are a multi-select (up to 100 options). */
const CHECKBOXES_MAX = 10;

function deploymentOption(d: LinkedDeployment) {
  const label = `${d.service} ${d.version} · ${utcTime(d.deployedAt).slice(11)}`;
  const detail = [d.author && `by ${d.author}`, d.summary].filter(Boolean).join(' — ');
  return {
    text: plain(label, LIMITS.optionText),
    value: String(d.id),
    ...(detail ? { description: plain(detail, LIMITS.optionText) } : {}),
  };
}

/**
 * "Which deployment caused it?": the deployments of the incident's services shown when it was declared,
 * newest first. None linked, no question.
 */
function causeDeploymentsInput(deployments: LinkedDeployment[], ticked?: number[]): KnownBlock[] {
  if (deployments.length === 0) return [];
  const offered = deployments.slice(0, LIMITS.staticOptions);
  const chosen = new Set(ticked ?? deployments.filter((d) => d.caused).map((d) => d.id));
  const options = offered.map(deploymentOption);
  const initial = options.filter((o) => chosen.has(Number(o.value)));
  const common = { action_id: B.causeDeployments, options, ...(initial.length > 0 ? { initial_options: initial } : {}) };
  return [
    {
      type: 'input',
      block_id: B.causeDeployments,
      optional: true,
      label: plain('Which deployment caused it?'),
      hint: plain('Deployed shortly before the declaration. Tick those that caused it (with “Yes” above): they count towards the change failure rate.', 2000),
      element:
        offered.length <= CHECKBOXES_MAX
          ? { type: 'checkboxes', ...common }
          : { type: 'multi_static_select', placeholder: plain('Choose deployments', 150), ...common, options: options.map(({ description: _d, ...o }) => o), ...(initial.length > 0 ? { initial_options: initial.map(({ description: _d, ...o }) => o) } : {}) },
    },
  ];
}

/** The review modal. Pure: the same input gives the same view. */
export function reviewModal(input: ReviewModalInput): ModalView {
  const { incident, values } = input;
  const hintFor = new Map(input.hints?.findings.map((f) => [f.field, blamelessHint(f.phrase)]) ?? []);
  const checked = (field: CheckedField) => hintFor.get(field) ?? HINTS[field];
  const impact = input.impactTimes ?? recordedImpactTimes(input);
  const intro = [
    `*${severityBadge(incident)} · Incident ${escapeMrkdwn(truncate(incidentLabel(incident), 300))}*`,
    statusLine(input),
    '_Blameless by design: describe what in our systems, tools and conditions made this possible — not who. People acted sensibly with what they knew at the time._',
  ].join('\n');
  const blocks: KnownBlock[] = [{ type: 'section', block_id: B.intro, text: mrkdwn(intro) }];
  if (input.hints) {
    blocks.push({
      type: 'context',
      block_id: B.notice,
      elements: [mrkdwn(':seedling: Some wording reads as if a person caused this — see the hints under those fields. Rephrase it, or submit again to keep it as it is.')],
    });
  }
  blocks.push(
    textInput(B.summary, LABELS.summary, values.summary, { optional: false, hint: checked('summary') }),
    textInput(B.impact, LABELS.impact, values.impact, { hint: checked('impact') }),
    textInput(B.impactDuration, 'Impact duration', values.impactDuration, { multiline: false, max: IMPACT_DURATION_MAX, hint: impactDurationHint(input), placeholder: 'e.g. 1h 25m' }),
    dateTimeInput(B.impactStarted, 'Customer impact started', impact.startedAt, 'When customers were first affected: the declaration unless you know it began earlier.'),
    dateTimeInput(B.impactEnded, 'Customer impact ended', impact.endedAt, 'When customers stopped being affected: when the incident was first mitigated unless you know better.'),
    textInput(B.contributingFactors, LABELS.contributingFactors, values.contributingFactors, { hint: checked('contributingFactors') }),
    {
      type: 'input',
      block_id: B.changeCaused,
      label: plain('Did a change cause it?'),
      element: {
        type: 'radio_buttons',
        action_id: B.changeCaused,
        options: CHANGE_CAUSED.map((c) => ({ text: plain(CHANGE_CAUSED_LABELS[c], LIMITS.optionText), value: c })),
        initial_option: { text: plain(CHANGE_CAUSED_LABELS[values.changeCaused], LIMITS.optionText), value: values.changeCaused },
      },
    },
    ...causeDeploymentsInput(incident.deployments ?? [], input.causeDeploymentIds),
    textInput(B.changeReference, 'The change', values.changeReference, { multiline: false, max: CHANGE_REFERENCE_MAX, hint: HINTS.changeReference }),
    textInput(B.wentWell, LABELS.wentWell, values.wentWell, { hint: checked('wentWell') }),
    textInput(B.toImprove, LABELS.toImprove, values.toImprove, { hint: checked('toImprove') }),
    {
      type: 'actions',
      block_id: B.followUps,
      elements: [{ type: 'button', text: plain('Add a follow-up', LIMITS.buttonText), action_id: REVIEW_ACTIONS.addFollowUp, value: String(incident.id) }],
    },
    {
      type: 'input',
      block_id: B.draft,
      optional: true,
      label: plain('Draft'),
      element: {
        type: 'checkboxes',
        action_id: B.draft,
        options: [{ text: plain('Save as draft — don’t publish yet'), value: REVIEW_DRAFT_OPTION, description: plain('Unticked, saving publishes the review in the incident channel.') }],
      },
    },
    { type: 'divider' },
    { type: 'section', block_id: B.timeline, text: mrkdwn('*Timeline so far* (for reference)') },
    ...timelineSections(input.timeline, TIMELINE_SECTIONS, B.timeline),
  );
  const metadata: ReviewModalMetadata = { i: incident.id, ...(input.hints ? { h: input.hints.fingerprint } : {}) };
  return {
    type: 'modal',
    callback_id: VIEWS.review,
    title: plain('Post-incident review', LIMITS.modalTitle),
    submit: plain('Save', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** What the modal turns into once saved: says what happened, and closes. */
export function reviewSavedView(incidentNumber: number, channelId: string | null, published: boolean): ModalView {
  const where = channelId ? `<#${channelId}>` : 'the incident channel';
  const text = published
    ? `:white_check_mark: The review of incident #${incidentNumber} is submitted and being published in ${where}. Thank you for taking the time to learn from it.`
    : `:pencil2: Your draft of the review of incident #${incidentNumber} is saved. Pick it up any time with \`/incident review\` in ${where}.`;
  return {
    type: 'modal',
    callback_id: VIEWS.reviewSaved,
    title: plain(published ? 'Review submitted' : 'Draft saved', LIMITS.modalTitle),
    close: plain('Done', LIMITS.modalTitle),
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}
