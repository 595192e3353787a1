import { createHash } from 'node:crypto';
import { z } from 'zod';
import { blameFingerprint, findBlameInReview } from '../../reviews/blameless';
import { CHANGE_CAUSED, type ReviewContent } from '../../reviews/model';
import { missingForSubmission, type ImpactCorrection } from '../../reviews/writeReview';
import { CHANGE_REFERENCE_MAX, IMPACT_DURATION_MAX, parseReviewMetadata, REVIEW_TEXT_MAX, reviewModal, reviewSavedView } from '../blocks/reviewModal';
import type { SlackDeps } from '../deps';
import { REVIEW_BLOCKS as B, REVIEW_DRAFT_OPTION, VIEWS } from '../ids';
import type { SlackRoutes } from '../routes';
import { readState, fieldErrors, type ViewState } from './values';
import { viewWork } from './viewWork';

const text = (max: number) => z.string().trim().max(max, `Keep it to ${max} characters.`);

const reviewSchema = z.object({
  summary: text(REVIEW_TEXT_MAX).min(1, 'Write a short summary of what happened.'),
  impact: text(REVIEW_TEXT_MAX),
  impactDuration: text(IMPACT_DURATION_MAX),
  contributingFactors: text(REVIEW_TEXT_MAX),
  changeCaused: z.enum(CHANGE_CAUSED, { message: 'Say whether a change caused it (or that it is not known yet).' }),
  changeReference: text(CHANGE_REFERENCE_MAX),
  wentWell: text(REVIEW_TEXT_MAX),
  toImprove: text(REVIEW_TEXT_MAX),
  draft: z.boolean(),
  impactStartedAt: z.date().nullable(),
  impactEndedAt: z.date().nullable(),
  causeDeploymentIds: z.array(z.coerce.number().int().positive()),
});

/** A device clock a minute fast still counts as "now". */
const FUTURE_GRACE_MS = 60_000;

/** The impact times must make sense together: no future, no end before the start. */
function impactProblems(d: { impactStartedAt: Date | null; impactEndedAt: Date | null }, now: Date): Record<string, string> {
  const errors: Record<string, string> = {};
  const future = (at: Date | null) => at !== null && at.getTime() > now.getTime() + FUTURE_GRACE_MS;
  if (future(d.impactStartedAt)) errors[B.impactStarted] = 'Customer impact cannot start in the future.';
  if (future(d.impactEndedAt)) errors[B.impactEnded] = 'Customer impact cannot end in the future: leave it empty while customers are still affected.';
  if (d.impactStartedAt && d.impactEndedAt && d.impactEndedAt.getTime() < d.impactStartedAt.getTime()) {
    errors[B.impactEnded] = 'Customer impact cannot end before it started.';
  }
  return errors;
}

/** Field → block, for field errors. */
const BLOCK_FOR: Record<keyof ReviewContent, string> = {
  summary: B.summary,
  impact: B.impact,
  impactDuration: B.impactDuration,
  contributingFactors: B.contributingFactors,
  changeCaused: B.changeCaused,
  changeReference: B.changeReference,
  wentWell: B.wentWell,
  toImprove: B.toImprove,
};

export function parseReviewSubmission(values: ViewState) {
  const state = readState(values);
  return reviewSchema.safeParse({
    summary: state.text(B.summary, B.summary),
    impact: state.text(B.impact, B.impact),
    impactDuration: state.text(B.impactDuration, B.impactDuration),
    contributingFactors: state.text(B.contributingFactors, B.contributingFactors),
    changeCaused: state.option(B.changeCaused, B.changeCaused) ?? undefined,
    changeReference: state.text(B.changeReference, B.changeReference),
    wentWell: state.text(B.wentWell, B.wentWell),
    toImprove: state.text(B.toImprove, B.toImprove),
    draft: state.options(B.draft, B.draft).includes(REVIEW_DRAFT_OPTION),
    impactStartedAt: state.dateTime(B.impactStarted, B.impactStarted),
    impactEndedAt: state.dateTime(B.impactEnded, B.impactEnded),
    causeDeploymentIds: state.options(B.causeDeployments, B.causeDeployments),
  });
}

/** The same modal submitted twice with the same content and choice saves (and publishes) once. */
function saveKey(viewId: string, content: ReviewContent, impact: ImpactCorrection, causes: number[] | undefined, draft: boolean): string {
  const digest = createHash('sha256').update(JSON.stringify({ content, impact, causes })).digest('base64url').slice(0, 22);
  return `${viewId}:${digest}:${draft ? 'draft' : 'submit'}`;
}

/**
 * Saving the review. Wording that names a person as the cause first gets a gentle hint: the modal is
 * redrawn (`response_action: update`) with the hint under those fields and the text as written. The
 * hint never refuses — submitting the same wording again saves it.
 */
export function registerReviewView(routes: SlackRoutes, deps: SlackDeps): void {
  routes.submission(VIEWS.review, async ({ ack, body, view }) => {
    const metadata = parseReviewMetadata(view.private_metadata);
    if (!metadata) {
      await ack({ response_action: 'errors', errors: { [B.summary]: 'This form is out of date. Close it and run `/incident review` again.' } });
      return;
    }
    const parsed = parseReviewSubmission(view.state.values as ViewState);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: fieldErrors(parsed.error.issues, BLOCK_FOR) });
      return;
    }
    const { draft, impactStartedAt, impactEndedAt, causeDeploymentIds, ...content } = parsed.data;
    // Only a form that offered deployments answers which caused it; an older form leaves the answer as it was.
    const offeredDeployments = (view.blocks as Array<{ block_id?: string }>).some((b) => b.block_id === B.causeDeployments);
    const causes = offeredDeployments ? causeDeploymentIds : undefined;
    if (causes && causes.length > 0 && content.changeCaused !== 'yes') {
      await ack({ response_action: 'errors', errors: { [B.causeDeployments]: 'You ticked a deployment as the cause: answer “Yes” above, or untick it.' } });
      return;
    }
    const impact: ImpactCorrection = { startedAt: impactStartedAt, endedAt: impactEndedAt };
    const userId = body.user.id;
    const problems = impactProblems(parsed.data, deps.clock());
    if (Object.keys(problems).length > 0) {
      await ack({ response_action: 'errors', errors: problems });
      return;
    }

    const findings = findBlameInReview(content);
    const fingerprint = findings.length > 0 ? blameFingerprint(content, findings) : undefined;
    if (fingerprint && fingerprint !== metadata.h) {
      const form = await viewWork(deps, (r) => ack(r), B.summary, deps.useCases.loadReviewForm(metadata.i, userId));
      if (!form) return;
      await ack({
        response_action: 'update',
        view: reviewModal({ ...form, values: content, causeDeploymentIds: causes, hints: { findings, fingerprint }, impactTimes: impactStartedAt || impactEndedAt ? { startedAt: impactStartedAt ?? form.incident.declaredAt, endedAt: impactEndedAt } : undefined }),
      });
      return;
    }

    if (!draft) {
      const missing = missingForSubmission(content);
      if (missing.length > 0) {
        const errors = Object.fromEntries(missing.map((field) => [BLOCK_FOR[field], 'Needed to submit the review — or tick “Save as draft” to finish it later.']));
        await ack({ response_action: 'errors', errors });
        return;
      }
    }

    const outcome = await viewWork(
      deps,
      (r) => ack(r),
      B.summary,
      deps.useCases.saveReview(
        { incidentId: metadata.i, actorId: userId, content, impact, causeDeploymentIds: causes, submit: !draft, saveKey: saveKey(view.id, content, impact, causes, draft) },
        deps.clock(),
      ),
    );
    if (!outcome) return;
    await ack({ response_action: 'update', view: reviewSavedView(outcome.incident.number, outcome.incident.channelId, !draft) });
    deps.dispatcher.kick();
  });
}
