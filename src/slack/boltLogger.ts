import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger';

const SIGNATURE_FAILURE = /^Failed to parse and verify the request data/;
const ONE_MINUTE = 60_000;

/**
 * Bolt's logger, backed by pino. Bolt warns once per request that fails signature verification, so an
 * attacker could flood the logs: those warnings are collapsed to at most one a minute, with a count.
 */
export function createBoltLogger(log: Logger, now: () => number = Date.now): BoltLogger {
  let lastSignatureWarning = -Infinity;
  let suppressed = 0;
  const bolt = log.child({ component: 'bolt' });
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
  return {
    // Bolt logs at debug on every acknowledgement; the message is only put together when it will be written.
    debug: (...msg) => {
      if (bolt.isLevelEnabled('debug')) bolt.debug(text(msg));
    },
    info: (...msg) => bolt.info(text(msg)),
    warn: (...msg) => {
      const message = text(msg);
      if (SIGNATURE_FAILURE.test(message)) {
        if (now() - lastSignatureWarning < ONE_MINUTE) {
          suppressed += 1;
          return;
        }
        lastSignatureWarning = now();
        bolt.warn({ suppressedSinceLast: suppressed }, 'Rejected a request whose Slack signature did not verify (logged at most once a minute)');
        suppressed = 0;
        return;
      }
      bolt.warn(message);
    },
    error: (...msg) => bolt.error(text(msg)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
