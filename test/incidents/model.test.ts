import { incidentChannelName, slugify } from '../../src/incidents/model';
import { parseSeverity } from '../../src/incidents/severity';

describe('incident channel names', () => {
  it('are <prefix>-<number>-<slug of title>, lowercase', () => {
    expect(incidentChannelName('inc', 12, 'Payments API: 502s on Checkout!')).toBe('inc-12-payments-api-502s-on-checkout');
  });

  it('drop accents and anything Slack does not allow in a name', () => {
    expect(slugify('Café — données perdues 😱 (EU)', 80)).toBe('cafe-donnees-perdues-eu');
    expect(incidentChannelName('inc', 3, '   ')).toBe('inc-3');
  });

  it('never pass 80 characters, even with a suffix for a taken name', () => {
    const title = 'checkout is failing for every customer in every region because the payment provider is down';
    const name = incidentChannelName('inc', 123456, title);
    const suffixed = incidentChannelName('inc', 123456, title, 17);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(suffixed.length).toBeLessThanOrEqual(80);
    expect(suffixed).toMatch(/^inc-123456-checkout-.*-17$/);
    expect(name).not.toMatch(/-$/);
    expect(name).toMatch(/^[a-z0-9_-]+$/);
  });
});

describe('severity arguments', () => {
  it.each([['1', 'SEV1'], ['sev2', 'SEV2'], ['SEV3', 'SEV3'], ['Sev 4', 'SEV4']])('"%s" means %s', (text, severity) => {
    expect(parseSeverity(text)).toBe(severity);
  });
  it.each(['0', '5', 'sev', 'high', ''])('"%s" is not a severity', (text) => {
    expect(parseSeverity(text)).toBeNull();
  });
});
