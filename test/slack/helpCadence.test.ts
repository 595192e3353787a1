import { startTestHerald } from '../support/harness';

describe('The help, built once per configuration', () => {
  it('shows each Herald its own configured cadence, however often it is asked', async () => {
    const fast = await startTestHerald({ env: { UPDATE_CADENCE: 'SEV1=5m,SEV2=10m,SEV3=20m,SEV4=off' } });
    const slow = await startTestHerald({ env: { UPDATE_CADENCE: 'SEV1=1h,SEV2=2h,SEV3=4h,SEV4=1d' }, slack: fast.slack });
    try {
      for (let i = 0; i < 2; i += 1) {
        const [a, b] = [await fast.command('help'), await slow.command('help')];
        expect(JSON.stringify(a.json.blocks)).toContain('SEV1 every 5m');
        expect(JSON.stringify(b.json.blocks)).toContain('SEV1 every 1h');
        expect(a.json.text).toContain('/incident declare');
      }
    } finally {
      await slow.stop();
      await fast.stop();
    }
  });
});
