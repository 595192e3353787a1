import { metadataWithMessage, plainTextOf, titleFromMessage } from '../../../src/slack/blocks/messageText';
import { declareModal, TITLE_MAX } from '../../../src/slack/blocks/declareModal';
import { validateView } from '../../../src/sandbox/slack/blockKit';

describe('A message as plain text, for the title of an incident declared from it', () => {
  it('resolves links and mentions the way a person would read them, and undoes Slack’s escapes', () => {
    expect(plainTextOf('See <https://grafana.example.com/d/1|the dashboard> and <https://status.example.com>')).toBe(
      'See the dashboard and https://status.example.com',
    );
    expect(plainTextOf('<@U123|alice> in <#C123|payments> for <!subteam^S1|@oncall> <!here>')).toBe('@alice in #payments for @oncall ');
    expect(plainTextOf('*Checkout* is _down_ ~maybe~ `502` &lt;EU&gt; &amp; US')).toBe('Checkout is down maybe 502 <EU> & US');
    // Only emphasis markers around words go; a lone star or snake_case stays.
    expect(plainTextOf('5 * 3 errors in payment_api')).toBe('5 * 3 errors in payment_api');
  });

  it('takes the first line with words in it, without quote or list markers', () => {
    expect(titleFromMessage('\n> :rotating_light:\n> *Payments API* 5xx above 5%\nmore', TITLE_MAX)).toBe('Payments API 5xx above 5%');
    expect(titleFromMessage('• checkout   slow\n• search slow', TITLE_MAX)).toBe('checkout slow');
    expect(titleFromMessage('', TITLE_MAX)).toBe('');
    // Times are not emoji codes.
    expect(titleFromMessage(':fire: 502s since 09:40:12 :sweat_smile:', TITLE_MAX)).toBe('502s since 09:40:12');
  });

  it('cuts a long line at a word, within the title’s limit', () => {
    const title = titleFromMessage(`${'checkout errors '.repeat(20)}end`, TITLE_MAX);
    expect(title.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(title).toMatch(/errors…$/);
  });

  it('carries the message in the modal within Slack’s 3,000 characters of private_metadata, however its text escapes', () => {
    const message = { channelId: 'C1', ts: '1700000000.000100', authorId: 'U2', text: '"\n'.repeat(5000) };
    const json = metadataWithMessage({ alertGroupId: 3 }, 'source', message);
    expect(json.length).toBeLessThanOrEqual(3000);
    expect(JSON.parse(json)).toMatchObject({ alertGroupId: 3, source: { channelId: 'C1', ts: '1700000000.000100', authorId: 'U2' } });

    const view = declareModal({ title: 'Payments down', declarerId: 'U1', services: [], source: message });
    expect(validateView(view, 'modal')).toEqual([]);
    expect(JSON.parse(view.private_metadata!).source.ts).toBe('1700000000.000100');
  });

  it('offers “This is a drill” beside “Private incident” in the declare modal', () => {
    const view = declareModal({ declarerId: 'U1', services: [] });
    const options = (view.blocks.find((b: any) => b.block_id === 'declare_options') as any).element.options.map((o: any) => o.value);
    expect(options).toEqual(['private', 'drill']);
    expect(validateView(view, 'modal')).toEqual([]);
  });
});
