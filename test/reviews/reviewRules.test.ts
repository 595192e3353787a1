import { blameFingerprint, findBlame, findBlameInReview } from '../../src/reviews/blameless';
import { addDays, earliestDateAnywhere, isCalendarDate, zonedDate, zonedTime } from '../../src/reviews/localTime';
import { currentPeriod, EMPTY_CONTENT, formatElapsed, impactWindow } from '../../src/reviews/model';
import { followUpPeriod } from '../../src/reviews/reminders';

describe('blameless wording', () => {
  it.each([
    'It was human error.',
    'Operator error during the deploy',
    'The on-call should have noticed the alert',
    'He shouldn’t have restarted it',
    '<@U123ABC> broke the deploy script',
    '<@U123ABC|bob> forgot to run the migration',
    'The outage was caused by <@U77>',
    'Someone forgot to renew the certificate',
    'It was his mistake',
    'A careless change to the firewall',
    'Fat-fingered the region name',
  ])('notices “%s”', (text) => {
    expect(findBlame(text)).not.toBeNull();
  });

  it.each([
    'The deploy pipeline had no check for the region name',
    'Fault tolerance of the queue was lower than assumed',
    '<@U123> noticed the alert and paged the database team',
    'We should add an alert on pool saturation',
    'The error budget was spent in two hours',
  ])('leaves “%s” alone', (text) => {
    expect(findBlame(text)).toBeNull();
  });

  it('fingerprints only the flagged wording, so editing another field keeps the acknowledgement', () => {
    const content = { ...EMPTY_CONTENT, summary: 'Payments failed', contributingFactors: 'Human error' };
    const findings = findBlameInReview(content);
    expect(findings).toEqual([{ field: 'contributingFactors', phrase: 'Human error' }]);
    const fp = blameFingerprint(content, findings);
    expect(blameFingerprint({ ...content, summary: 'Card payments failed' }, findings)).toBe(fp);
    expect(blameFingerprint({ ...content, contributingFactors: 'Human error, twice' }, findings)).not.toBe(fp);
  });
});

describe('impact and reminder periods', () => {
  const declaredAt = new Date('2026-03-01T10:00:00Z');

  it('measures impact from declaration to mitigation, or to resolution when never mitigated', () => {
    expect(impactWindow({ declaredAt, mitigatedAt: new Date('2026-03-01T11:25:00Z'), resolvedAt: new Date('2026-03-01T12:00:00Z') })!.ms).toBe(85 * 60_000);
    expect(impactWindow({ declaredAt, mitigatedAt: null, resolvedAt: new Date('2026-03-01T10:45:00Z') })!.ms).toBe(45 * 60_000);
    expect(impactWindow({ declaredAt, mitigatedAt: null, resolvedAt: null })).toBeNull();
  });

  it.each([
    [30_000, '30s'],
    [25 * 60_000, '25m'],
    [85 * 60_000, '1h 25m'],
    [(2 * 24 + 3) * 3_600_000 + 60_000, '2d 3h'],
    [2 * 86_400_000 + 5 * 60_000, '2d 5m'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });

  it('puts a time in the period that contains it, and nothing before the first', () => {
    const first = new Date('2026-03-04T10:00:00Z');
    expect(currentPeriod(first, 86_400_000, new Date('2026-03-04T09:59:59Z'))).toBeNull();
    expect(currentPeriod(first, 86_400_000, new Date('2026-03-04T10:00:00Z'))).toEqual(first);
    expect(currentPeriod(first, 86_400_000, new Date('2026-03-07T09:00:00Z'))).toEqual(new Date('2026-03-06T10:00:00Z'));
  });
});

describe('local time', () => {
  const newYork = { tz: 'America/New_York', offsetSeconds: -18000 };

  it('finds 09:00 in a zone on either side of daylight saving', () => {
    expect(zonedTime('2031-01-15', 9, newYork).toISOString()).toBe('2031-01-15T14:00:00.000Z');
    expect(zonedTime('2031-07-15', 9, newYork).toISOString()).toBe('2031-07-15T13:00:00.000Z');
    expect(zonedTime('2031-07-15', 9, { tz: 'Asia/Tokyo', offsetSeconds: 32400 }).toISOString()).toBe('2031-07-15T00:00:00.000Z');
  });

  it('falls back to Slack’s offset when the zone name is unknown', () => {
    expect(zonedTime('2031-07-15', 9, { tz: 'Mars/Olympus', offsetSeconds: 3600 }).toISOString()).toBe('2031-07-15T08:00:00.000Z');
    expect(zonedTime('2031-07-15', 9, { tz: null, offsetSeconds: -3600 }).toISOString()).toBe('2031-07-15T10:00:00.000Z');
  });

  it('keeps weekly follow-up reminders at 09:00 local across a daylight-saving change', () => {
    // New York moves its clocks on 9 March 2031: a week after 3 March 09:00 EST is 10 March 09:00 EDT.
    const first = followUpPeriod('2031-03-03', newYork, new Date('2031-03-03T14:00:00Z'))!;
    expect(first).toEqual({ periodAt: new Date('2031-03-03T14:00:00Z'), weeks: 0 });
    expect(followUpPeriod('2031-03-03', newYork, new Date('2031-03-10T12:59:00Z'))!.weeks).toBe(0);
    expect(followUpPeriod('2031-03-03', newYork, new Date('2031-03-10T13:00:00Z'))).toEqual({ periodAt: new Date('2031-03-10T13:00:00Z'), weeks: 1 });
    expect(followUpPeriod('2031-03-03', newYork, new Date('2031-03-03T13:59:00Z'))).toBeNull();
  });

  it('does calendar arithmetic on dates', () => {
    expect(addDays('2031-02-27', 2)).toBe('2031-03-01');
    expect(isCalendarDate('2031-02-29')).toBe(false);
    expect(isCalendarDate('2032-02-29')).toBe(true);
    expect(zonedDate(new Date('2031-07-15T23:30:00Z'), { tz: 'Asia/Tokyo', offsetSeconds: 0 })).toBe('2031-07-16');
    expect(earliestDateAnywhere(new Date('2031-07-15T11:00:00Z'))).toBe('2031-07-14');
  });
});
