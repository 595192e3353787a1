import { latestFiring } from '../../src/scheduler/firings';

describe('the period a digest cron is in', () => {
  it('starts at the latest firing at or before now', () => {
    // Wednesday 25 November 2026: the Monday 09:00 period began on the 23rd.
    expect(latestFiring('0 9 * * 1', 'UTC', new Date('2026-11-25T12:00:00Z'))).toEqual(new Date('2026-11-23T09:00:00Z'));
    expect(latestFiring('0 9 * * 1', 'UTC', new Date('2026-11-23T09:00:00Z'))).toEqual(new Date('2026-11-23T09:00:00Z'));
    expect(latestFiring('0 9 * * 1', 'UTC', new Date('2026-11-23T08:59:59Z'))).toEqual(new Date('2026-11-16T09:00:00Z'));
  });

  it('reads the cron in DIGEST_TZ, summer time included', () => {
    expect(latestFiring('0 9 * * 1', 'Europe/Paris', new Date('2026-11-25T12:00:00Z'))).toEqual(new Date('2026-11-23T08:00:00Z'));
    expect(latestFiring('0 9 * * 1', 'Europe/Paris', new Date('2026-07-01T12:00:00Z'))).toEqual(new Date('2026-06-29T07:00:00Z'));
    expect(latestFiring('30 17 * * 5', 'America/New_York', new Date('2026-11-30T00:00:00Z'))).toEqual(new Date('2026-11-27T22:30:00Z'));
  });

  it('takes six fields, with seconds', () => {
    expect(latestFiring('*/20 * * * * *', 'UTC', new Date('2026-11-25T10:00:35.500Z'))).toEqual(new Date('2026-11-25T10:00:20Z'));
    expect(latestFiring('15 0 0 1 * *', 'UTC', new Date('2026-11-25T10:00:00Z'))).toEqual(new Date('2026-11-01T00:00:15Z'));
  });
});
