import { POST_BURST, POST_INTERVAL_MS, reserveSendTimes } from '../../src/outbox/pace';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('Reserving send times per destination', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('lets a burst go at once, then one post per interval, however the reservations are split', async () => {
    const db = database.connect();
    const now = new Date('2026-03-02T10:00:00Z');
    const first = await reserveSendTimes(db, ['C1', 'C1', 'C2'], now);
    const second = await reserveSendTimes(db, ['C1', 'C1', 'C1'], now);
    const offsets = [...first, ...second].map((d) => d.getTime() - now.getTime());
    expect(POST_BURST).toBe(3);
    // C1: three at once, then 1, 2, 3 intervals later; C2 at once.
    expect(offsets).toEqual([0, 0, 0, 0, POST_INTERVAL_MS, 2 * POST_INTERVAL_MS]);
  });

  it('forgets old reservations once their time has passed', async () => {
    const db = database.connect();
    const now = new Date('2026-03-02T10:00:00Z');
    await reserveSendTimes(db, Array(6).fill('C1'), now);
    const later = new Date(now.getTime() + 60_000);
    expect(await reserveSendTimes(db, ['C1'], later)).toEqual([later]);
  });
});
