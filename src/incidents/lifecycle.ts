import type { Database } from '../db/client';
import type { Incident, IncidentStatus, Role } from './model';
import type { Severity } from './severity';

/**
 * What other parts of Herald do when an incident changes, inside the same transaction as the change
 * (so a prompt schedule or a review due date is never out of step with the incident). `comms/` and
 * `reviews/` provide these; `herald.ts` composes them. The incident domain never imports those modules.
 */
export interface IncidentLifecycleHooks {
  declared?(tx: Database, incident: Incident, now: Date): Promise<void>;
  statusChanged?(tx: Database, incident: Incident, previous: IncidentStatus, now: Date): Promise<void>;
  severityChanged?(tx: Database, incident: Incident, previous: Severity, now: Date): Promise<void>;
  roleAssigned?(tx: Database, incident: Incident, role: Role, userId: string, now: Date): Promise<void>;
  /** What is still missing before the incident should be closed (e.g. "the review"); empty when nothing. */
  closeBlockers?(tx: Database, incident: Incident, now: Date): Promise<string[]>;
  closed?(tx: Database, incident: Incident, now: Date): Promise<void>;
}

/** Runs every provider's hook of one kind in order. */
export function composeHooks(...providers: IncidentLifecycleHooks[]): Required<IncidentLifecycleHooks> {
  const each =
    <K extends keyof IncidentLifecycleHooks>(key: K) =>
    async (...args: Parameters<NonNullable<IncidentLifecycleHooks[K]>>) => {
      for (const p of providers) await (p[key] as ((...a: unknown[]) => Promise<void>) | undefined)?.(...args);
    };
  return {
    declared: each('declared'),
    statusChanged: each('statusChanged'),
    severityChanged: each('severityChanged'),
    roleAssigned: each('roleAssigned'),
    closed: each('closed'),
    async closeBlockers(tx, incident, now) {
      const all: string[] = [];
      for (const p of providers) all.push(...((await p.closeBlockers?.(tx, incident, now)) ?? []));
      return all;
    },
  };
}

export const NO_HOOKS: IncidentLifecycleHooks = {};
