import { problem, fine, type Finding } from '../../src/doctor/findings';
import { doctorMessage } from '../../src/slack/blocks/doctor';
import { setupFix } from '../../src/slack/problemWords';
import { validateMessageBlocks } from '../support/slackStub';

describe('Slack errors met in setup', () => {
  const context = { channel: '<#C123>', setting: 'ANNOUNCE_CHANNEL', scope: 'pins:write' };

  it.each(['invalid_auth', 'not_allowed_token_type', 'missing_scope', 'not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action'])(
    '%s becomes one sentence a Slack admin can act on',
    (code) => {
      const sentence = setupFix(code, context);
      expect(sentence).not.toContain(code);
      expect(sentence).toMatch(/^[A-Z].*\.$/);
      // One sentence: no full stop inside it (ellipses and `xoxb-…` aside).
      expect(sentence.replace(/\(xox[a-z]-…\)|xapp-|…/g, '').slice(0, -1)).not.toMatch(/\.\s/);
    },
  );

  it('names what it is about: the channel, the setting, the scope', () => {
    expect(setupFix('not_in_channel', context)).toContain('<#C123>');
    expect(setupFix('channel_not_found', context)).toContain('ANNOUNCE_CHANNEL');
    expect(setupFix('missing_scope', context)).toContain('pins:write');
  });

  it('still says something useful for a code it does not know', () => {
    expect(setupFix('team_access_not_granted')).toContain('"team_access_not_granted"');
  });
});

describe('The doctor in Slack', () => {
  it('stays within one message’s limits however many channels there are, and says how many were left out', () => {
    const findings: Finding[] = [fine('Slack token', 'Fine.')];
    for (let i = 0; i < 1000; i += 1) findings.push(problem('Channels', `Herald is not in <#C${String(i).padStart(6, '0')}> (stakeholders of Service ${i}): ${'x'.repeat(120)}.`, 'Invite Herald to it: type `/invite @Herald` there.'));
    const message = doctorMessage(findings);
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.text).toContain('1000 problems found');
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/…and \d+ more findings: run `npm run doctor`/);
  });
});
