import type { Database } from '../db/client';
import type { Incident } from '../incidents/model';
import { getIncident } from '../incidents/repository';
import type { Logger } from '../logger';
import { z } from 'zod';
import { untilIncidentCloses } from '../incidents/retry';
import { reserveSendTimes } from '../outbox/pace';
import { defineJob, type OutboxHandler, type OutboxJob } from '../outbox/registry';
import { enqueueJobs, hasUnfinishedJob } from '../outbox/repository';
import { onlyPostOf } from '../outbox/steps';
import type { CommsMessenger } from './ports';
import { deliveryOutcomes, getStatusUpdate, type StatusUpdate } from './statusUpdateRepository';
import { deliveryPayload, UPDATE_DELIVERY_JOB, type DeliveryPayload } from './statusUpdates';

/** Tells an update's author, once every destination is settled, how many it reached and which failed. */
export const UPDATE_RECEIPT_JOB = 'update_receipt';

export interface DeliveryDeps {
  db: Database;
  log: Logger;
  messenger: CommsMessenger;
}

const receiptPayload = z.object({ updateId: z.number().int() });

/**
 * When the last destination of an update is settled (sent or failed for good), queue the receipt. Two
 * replicas settling the last two rows may both get here; the receipt's dedupe key keeps it to one.
 */
async function queueReceiptWhenSettled(db: Database, job: OutboxJob<DeliveryPayload>, now: Date): Promise<void> {
  const { updateId } = job.payload;
  if (await hasUnfinishedJob(db, job.incident_id!, UPDATE_DELIVERY_JOB, updateId)) return;
  const update = await getStatusUpdate(db, updateId);
  if (!update) return;
  await db.transaction().execute(async (tx) => {
    // The author's DM keeps the same pace as any other destination (several updates settle together).
    const [sendAt] = await reserveSendTimes(tx, [update.authorId], now);
    await enqueueJobs(
      tx,
      [{ teamId: job.team_id, incidentId: job.incident_id, kind: UPDATE_RECEIPT_JOB, dedupeKey: `update_receipt:${updateId}`, destination: update.authorId, payload: { updateId }, notBefore: sendAt }],
      now,
    );
  });
}

/** How long the rows of one update share one read of it and its incident. */
const SHARED_READ_MS = 1_000;

/**
 * One update goes to hundreds of destinations at once: its rows share one read of the update and the
 * incident (an update never changes once posted; the incident as of at most a second ago) instead of
 * two queries each.
 */
function updateReader(db: Database) {
  const reads = new Map<number, { at: number; read: Promise<{ update: StatusUpdate; incident: Incident } | null> }>();
  return (updateId: number) => {
    const now = Date.now();
    for (const [id, r] of reads) if (now - r.at > SHARED_READ_MS) reads.delete(id);
    const cached = reads.get(updateId);
    if (cached) return cached.read;
    const read = (async () => {
      const update = await getStatusUpdate(db, updateId);
      const incident = update && (await getIncident(db, update.incidentId));
      return update && incident ? { update, incident } : null;
    })();
    reads.set(updateId, { at: now, read });
    // A failed read is not shared: the next row reads again.
    read.catch(() => reads.delete(updateId));
    return read;
  };
}

/**
 * Runs `check(key)` for every caller, but at most one at a time per key: callers arriving while one
 * runs share a single next run, which starts after they all arrived (so after their jobs were
 * recorded). The last destination of an update settling always gets a check that sees it settled.
 */
function coalesced(check: (key: number) => Promise<void>) {
  const state = new Map<number, { running: Promise<void>; next: Promise<void> | null }>();
  const run = (key: number): Promise<void> => {
    const current = state.get(key);
    if (!current) {
      const running = check(key).finally(() => {
        const s = state.get(key)!;
        if (s.next === null) state.delete(key);
      });
      state.set(key, { running, next: null });
      return running;
    }
    if (!current.next) {
      current.next = current.running
        .catch(() => undefined)
        .then(() => {
          state.delete(key);
          return run(key);
        });
    }
    return current.next;
  };
  return run;
}

export function deliveryHandlers(deps: DeliveryDeps): OutboxHandler[] {
  const readUpdate = updateReader(deps.db);
  const settledJobs = new Map<number, { job: OutboxJob<DeliveryPayload>; now: Date }>();
  const checkSettled = coalesced(async (updateId) => {
    const latest = settledJobs.get(updateId);
    if (!latest) return;
    settledJobs.delete(updateId);
    await queueReceiptWhenSettled(deps.db, latest.job, latest.now);
  });
  return [
    defineJob({
      kind: UPDATE_DELIVERY_JOB,
      schema: deliveryPayload,
      retry: (job) => untilIncidentCloses(deps.db, job.incident_id),
      async run(job) {
        const read = await readUpdate(job.payload.updateId);
        if (!read) return { skipped: 'update or incident deleted' };
        return deps.messenger.postUpdate(read.update, read.incident, job.payload, onlyPostOf(job));
      },
      settled(job, now) {
        const { updateId } = job.payload;
        settledJobs.set(updateId, { job, now });
        return checkSettled(updateId);
      },
    }),
    defineJob({
      kind: UPDATE_RECEIPT_JOB,
      schema: receiptPayload,
      async run(job) {
        const { updateId } = job.payload;
        const update = await getStatusUpdate(deps.db, updateId);
        const incident = update && (await getIncident(deps.db, update.incidentId));
        if (!update || !incident) return { skipped: 'update or incident deleted' };
        const rows = await deliveryOutcomes(deps.db, incident.id, updateId, UPDATE_DELIVERY_JOB);
        const failed = rows
          .filter((r) => r.status === 'failed')
          .map((r) => ({ destination: deliveryPayload.parse(r.payload), code: r.lastError ?? 'unknown_error' }));
        const receipt = { incident, update, total: rows.length, reached: rows.filter((r) => r.status === 'done').length, failed };
        await deps.messenger.sendReceipt(update.authorId, receipt, onlyPostOf(job));
        return { reached: rows.length - failed.length, failed: failed.length };
      },
    }),
  ];
}
