import type { Database } from '../db/client';
import { getIncident } from '../incidents/repository';
import type { Logger } from '../logger';
import type { OutboxHandler } from './dispatcher';
import { enqueueJobs, type OutboxRow } from './outboxRepository';
import { onlyPostOf } from './outboxSteps';
import { reserveSendTimes } from './paceRepository';
import type { CommsMessenger } from './ports';
import { hasUnfinishedJob } from './outboxRepository';
import { deliveryOutcomes, getStatusUpdate } from './statusUpdateRepository';
import { UPDATE_DELIVERY_JOB, type DeliveryPayload } from './statusUpdates';

/** Tells an update's author, once every destination is settled, how many it reached and which failed. */
export const UPDATE_RECEIPT_JOB = 'update_receipt';

export interface DeliveryDeps {
  db: Database;
  log: Logger;
  messenger: CommsMessenger;
}

const payloadOf = (job: OutboxRow) => job.payload as unknown as DeliveryPayload;

/**
 * When the last destination of an update is settled (sent or failed for good), queue the receipt. Two
 * replicas settling the last two rows may both get here; the receipt's dedupe key keeps it to one.
 */
async function queueReceiptWhenSettled(db: Database, job: OutboxRow, now: Date): Promise<void> {
  const { updateId } = payloadOf(job);
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

export function deliveryHandlers(deps: DeliveryDeps): OutboxHandler[] {
  return [
    {
      kind: UPDATE_DELIVERY_JOB,
      async run(job) {
        const payload = payloadOf(job);
        const update = await getStatusUpdate(deps.db, payload.updateId);
        const incident = update && (await getIncident(deps.db, update.incidentId));
        if (!update || !incident) return { skipped: 'update or incident deleted' };
        return deps.messenger.postUpdate(update, incident, payload, onlyPostOf(job));
      },
      settled: (job, now) => queueReceiptWhenSettled(deps.db, job, now),
    },
    {
      kind: UPDATE_RECEIPT_JOB,
      async run(job) {
        const { updateId } = job.payload as { updateId: number };
        const update = await getStatusUpdate(deps.db, updateId);
        const incident = update && (await getIncident(deps.db, update.incidentId));
        if (!update || !incident) return { skipped: 'update or incident deleted' };
        const rows = await deliveryOutcomes(deps.db, incident.id, updateId, UPDATE_DELIVERY_JOB);
        const failed = rows
          .filter((r) => r.status === 'failed')
          .map((r) => ({ destination: r.payload as unknown as DeliveryPayload, code: r.lastError ?? 'unknown_error' }));
        const receipt = { incident, update, total: rows.length, reached: rows.filter((r) => r.status === 'done').length, failed };
        await deps.messenger.sendReceipt(update.authorId, receipt, onlyPostOf(job));
        return { reached: rows.length - failed.length, failed: failed.length };
      },
    },
  ];
}
