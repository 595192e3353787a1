import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { methodOf, observedFetch, outcomeOfAnswer } from '../../src/slack/callMetrics';

describe("A Slack call's outcome, as a metric label", () => {
  it('is ok, the error code Slack gave, or rate_limited / http_error / invalid_response', () => {
    expect(outcomeOfAnswer(200, '{"ok":true,"channel":"C1"}')).toBe('ok');
    expect(outcomeOfAnswer(200, '{"warning":"x","ok":true}')).toBe('ok');
    expect(outcomeOfAnswer(200, '{"ok":false,"error":"not_in_channel"}')).toBe('not_in_channel');
    expect(outcomeOfAnswer(200, '{"ok":false,"error":"ratelimited"}')).toBe('rate_limited');
    expect(outcomeOfAnswer(429, null)).toBe('rate_limited');
    expect(outcomeOfAnswer(503, null)).toBe('http_error');
    expect(outcomeOfAnswer(200, '<html>proxy error</html>')).toBe('invalid_response');
  });

  it('is `other` for an error code outside the known list, so labels stay bounded whatever Slack says', () => {
    expect(outcomeOfAnswer(200, '{"ok":false,"error":"U0123ABCD_is_not_here"}')).toBe('other');
    expect(outcomeOfAnswer(200, '{"ok":false,"error":{"nested":true}}')).toBe('other');
  });

  it('names the method from the URL; anything else (an upload URL) is `other`', () => {
    expect(methodOf('https://slack.com/api/chat.postMessage')).toBe('chat.postMessage');
    expect(methodOf('http://127.0.0.1:4000/api/conversations.create')).toBe('conversations.create');
    expect(methodOf('https://files.slack.com/upload/v1/CwABAAAAXAoAAZnKg6WNhVIbCgACn')).toBe('other');
  });

  it('is timed_out when Herald stops waiting, and the caller still sees the failure', async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const calls: Array<[string, string]> = [];
    try {
      const client = new WebClient('xoxb-test', {
        slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
        timeout: 100,
        logLevel: LogLevel.ERROR,
        retryConfig: { retries: 0 },
        fetch: observedFetch({ called: (method, outcome) => calls.push([method, outcome]) }),
      });
      await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toThrow();
      expect(calls).toEqual([['chat.postMessage', 'timed_out']]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
