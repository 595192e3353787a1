import { createSharedRateLimit, leaseSlice } from '../../src/signals/http';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('ALERTS_RATE shared by replicas through leased slices', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  const minute = Date.parse('2026-03-02T10:00:00Z');
  const accepted = (answers: Array<number | null>) => answers.filter((a) => a === null).length;
  const used = async (db: ReturnType<TestDatabase['connect']>) => (await db.selectFrom('signal_rate').select('used').executeTakeFirst())?.used;

  it('takes a hundredth of the budget at a time, at least one request and at most fifty', () => {
    expect([leaseSlice(3), leaseSlice(600), leaseSlice(1_000), leaseSlice(1_000_000)]).toEqual([1, 6, 10, 50]);
  });

  it('asks the database once per slice, however many requests arrive together', async () => {
    const db = database.connect();
    const rate = createSharedRateLimit(db, 1_000);
    const together = (n: number) => Promise.all(Array.from({ length: n }, () => rate.take(minute + 1_000)));
    expect(accepted(await together(5))).toBe(5);
    // One lease of ten: the requests that waited for the lease in flight did not lease one each.
    expect(await used(db)).toBe(10);
    expect(accepted(await together(45))).toBe(45);
    expect(await used(db)).toBe(50);
  });

  it('counts requests straddling a minute in the newer one, leasing once per slice', async () => {
    const db = database.connect();
    const rate = createSharedRateLimit(db, 1_000);
    const times = Array.from({ length: 40 }, (_, i) => minute + 59_990 + (i % 2) * 20);
    const answers = await Promise.all(times.map((at) => rate.take(at)));
    expect(accepted(answers)).toBe(40);
    // Two minutes' requests in flight together do not throw each other's leases away.
    const rows = await db.selectFrom('signal_rate').select('used').execute();
    expect(rows.reduce((sum, r) => sum + r.used, 0)).toBeLessThanOrEqual(60);
  });

  it('never lets two replicas together accept more than the budget, and refuses until the next minute', async () => {
    const db = database.connect();
    const replicas = [createSharedRateLimit(db, 1_000), createSharedRateLimit(db, 1_000)];
    const answers: Array<number | null> = [];
    for (let i = 0; i < 700; i += 1) {
      answers.push(...(await Promise.all(replicas.map((r) => r.take(minute + 2_000)))));
    }
    // At most a slice less one is left unspent in each replica.
    expect(accepted(answers)).toBeLessThanOrEqual(1_000);
    expect(accepted(answers)).toBeGreaterThanOrEqual(1_000 - 2 * 9);
    expect(answers.filter((a) => a !== null).every((a) => a === 58)).toBe(true);
    const next = await Promise.all(replicas.map((r) => r.take(minute + 60_000)));
    expect(next).toEqual([null, null]);
  });
});
