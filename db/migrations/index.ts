import type { Migration } from 'kysely';
import * as core from './20261125_0001_core';
import * as running from './20261125_0002_running';
import * as comms from './20261125_0003_comms';
import * as reviews from './20261125_0004_reviews';
import * as insights from './20261127_0005_insights';
import * as outboxClaims from './20261127_0005_outbox_claims';
import * as digest from './20261127_0006_digest';
import * as home from './20261127_0007_home';
import * as alerts from './20261127_0010_alerts';
import * as deployments from './20261127_0020_deployments';
import * as signalRate from './20261127_0030_signal_rate';
import * as drillsAndSources from './20261127_0160_drills_and_sources';

/** Every migration, by name; names sort in the order they run. Add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '20261125_0001_core': core,
  '20261125_0002_running': running,
  '20261125_0003_comms': comms,
  '20261125_0004_reviews': reviews,
  '20261127_0005_insights': insights,
  '20261127_0005_outbox_claims': outboxClaims,
  '20261127_0006_digest': digest,
  '20261127_0007_home': home,
  '20261127_0010_alerts': alerts,
  '20261127_0020_deployments': deployments,
  '20261127_0030_signal_rate': signalRate,
  '20261127_0160_drills_and_sources': drillsAndSources,
};
