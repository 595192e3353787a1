import { parseNoArgs, parseRoleArgs, parseSeverityArgs, parseStatusArgs, parseUserMention } from '../../../src/slack/commands/arguments';

describe('subcommand arguments are read strictly', () => {
  it('statuses: the four a person may choose, in any case', () => {
    expect(parseStatusArgs(['Monitoring'])).toEqual({ ok: true, value: 'monitoring' });
    expect(parseStatusArgs(['fixed'])).toEqual({ ok: false, reason: '`fixed` is not a status.' });
    expect(parseStatusArgs(['closed']).ok).toBe(false);
    expect(parseStatusArgs([]).ok).toBe(false);
  });

  it('severities: 1-4 with or without "sev"', () => {
    for (const text of ['1', 'sev1', 'SEV1', 'Sev 1']) expect(parseSeverityArgs(text)).toEqual({ ok: true, value: 'SEV1' });
    for (const text of ['0', '5', 'high', 'sev', '1 2']) expect(parseSeverityArgs(text).ok).toBe(false);
  });

  it('people: Slack’s escaped and plain mentions only', () => {
    expect(parseUserMention('<@U123|bob>')).toBe('U123');
    expect(parseUserMention('<@W9ABC>')).toBe('W9ABC');
    for (const word of ['@bob', 'U123', '<#C123|general>', '<@U123', '<!here>']) expect(parseUserMention(word)).toBeNull();
  });

  it('roles: a role, then one person', () => {
    expect(parseRoleArgs(['COMMS', '<@U2|bob>'])).toEqual({ ok: true, value: { role: 'comms', userId: 'U2' } });
    expect(parseRoleArgs(['<@U2>', 'comms']).ok).toBe(false);
    expect(parseRoleArgs(['lead', '<@U2>']).ok).toBe(false);
  });

  it('shows a typed word back without letting it mention or format anything', () => {
    const parsed = parseStatusArgs(['`<!channel>`']);
    expect(parsed.ok || parsed.reason).toBe("`'<!channel>'` is not a status.");
    expect(parseNoArgs(['x']).ok).toBe(false);
  });
});
