/**
 * The pretend workspace: a few people in different time zones, the channels Herald is configured with,
 * and two services whose stakeholders hear about their incidents.
 */
import type { Database } from '../db/client';
import { saveServiceStakeholders } from '../comms/stakeholders';
import type { SlackStub, StubUser } from './slack/types';

export const SANDBOX_TEAM = 'TSANDBOX';

export const SAMPLE_PEOPLE: StubUser[] = [
  { id: 'U01AMARA', name: 'amara', tz: 'Europe/London', tz_offset: 0 },
  { id: 'U02BEN', name: 'ben', tz: 'America/New_York', tz_offset: -18000 },
  { id: 'U03CHIHIRO', name: 'chihiro', tz: 'Asia/Tokyo', tz_offset: 32400 },
  { id: 'U04DIEGO', name: 'diego', tz: 'America/Los_Angeles', tz_offset: -28800 },
];

export const CHANNELS = {
  general: { id: 'CGENERAL', name: 'general' },
  announce: { id: 'CINCIDENTS', name: 'incidents' },
  digest: { id: 'CRISKDIGEST', name: 'risk-digest' },
  payments: { id: 'CPAYMENTS', name: 'payments-team' },
} as const;

/** Herald's settings for this workspace (environment variables, as any run takes them). */
export const SANDBOX_SETTINGS = { ANNOUNCE_CHANNEL: CHANNELS.announce.id, DIGEST_CHANNEL: CHANNELS.digest.id };

/** Channels everyone is in, Herald included (as if each had been invited). */
export function seedChannels(stub: SlackStub): void {
  const everyone = [stub.botUserId, ...SAMPLE_PEOPLE.map((p) => p.id)];
  for (const c of Object.values(CHANNELS)) if (!stub.channels.has(c.id)) stub.addChannel({ id: c.id, name: c.name, members: everyone, creator: SAMPLE_PEOPLE[0]!.id });
}

/** Payments API (owned by amara; #payments-team and ben hear its updates) and Checkout. */
export async function seedServices(db: Database, now: Date): Promise<void> {
  const deps = { db, isActiveUser: async () => true };
  const [amara, ben, , diego] = SAMPLE_PEOPLE.map((p) => p.id);
  await saveServiceStakeholders(deps, { teamId: SANDBOX_TEAM, name: 'Payments API', actorId: amara!, ownerId: amara!, channels: [CHANNELS.payments.id], people: [ben!] }, now);
  await saveServiceStakeholders(deps, { teamId: SANDBOX_TEAM, name: 'Checkout', actorId: diego!, ownerId: diego!, channels: [], people: [] }, now);
}
