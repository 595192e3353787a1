import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { form, signature } from '../test/support/slackRequests';

/**
 * A closed-loop load generator: `concurrency` workers each send signed slash commands one after
 * another over kept-alive connections, as Slack's edge would, and time each answer.
 */

export interface Target {
  /** e.g. http://127.0.0.1:PORT/slack/events */
  url: string;
  signingSecret: string;
  teamId: string;
}

export interface LoadResult {
  requests: number;
  elapsedMs: number;
  /** Per request, in milliseconds. */
  latencies: number[];
  /** Answers other than 200, by status (0 = connection error). */
  failures: Record<number, number>;
}

export function slashCommandBody(target: Target, text: string, n: number): string {
  return form({
    token: 'deprecated-verification-token',
    team_id: target.teamId,
    team_domain: 'herald-bench',
    channel_id: 'CGENERAL',
    channel_name: 'general',
    user_id: 'U1',
    user_name: 'alice',
    command: '/incident',
    text,
    api_app_id: 'A0HERALD',
    response_url: 'https://hooks.slack.invalid/commands/T0001/1/bench',
    trigger_id: `bench.${n}`,
  });
}

export interface Answer {
  status: number;
  body: string;
}

export function sendSigned(target: Target, body: string, agent: http.Agent): Promise<Answer> {
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve) => {
    const req = http.request(
      target.url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signature(target.signingSecret, timestamp, body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

/** Sends `requests` commands (`text(n)` for the n-th) with `concurrency` in flight at any time. */
export async function runLoad(target: Target, text: (n: number) => string, requests: number, concurrency: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const failures: Record<number, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const n = next++;
      const body = slashCommandBody(target, text(n), n);
      const started = performance.now();
      const answer = await sendSigned(target, body, agent);
      latencies.push(performance.now() - started);
      if (answer.status !== 200) failures[answer.status] = (failures[answer.status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { requests, elapsedMs, latencies, failures };
}
