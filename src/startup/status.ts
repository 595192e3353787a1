import type { RequestListener } from 'node:http';

/** What start-up is waiting for, in the order it happens. */
export type StartupStage = 'database' | 'migrations' | 'slack';

/** Where start-up stands, shown by /readyz until Herald serves. */
export interface StartupStatus {
  waitingFor: StartupStage;
  /** The latest problem met while waiting (e.g. "connect ECONNREFUSED … DATABASE_URL …"), cleared on progress. */
  problem?: string;
}

export function startupStatus(waitingFor: StartupStage = 'database'): StartupStatus {
  return { waitingFor };
}

export function advance(status: StartupStatus, stage: StartupStage): void {
  status.waitingFor = stage;
  delete status.problem;
}

/**
 * What PORT answers before Herald serves: /healthz 200 (the process is alive and working towards
 * ready, so an orchestrator must not restart it), /readyz 503 saying what it waits for, anything else
 * 503 with Retry-After (Slack retries events; alert senders retry on 5xx).
 */
export function startingListener(status: StartupStatus): RequestListener {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://herald').pathname;
    const body = { ok: false, ready: false, waitingFor: status.waitingFor, ...(status.problem ? { problem: status.problem } : {}) };
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ...body, ok: true }));
      return;
    }
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '5' });
    res.end(JSON.stringify(path === '/readyz' ? body : { ...body, error: `Herald is starting: waiting for ${status.waitingFor}` }));
  };
}
