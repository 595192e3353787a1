/**
 * The process entry point. SIGTERM and SIGINT are caught before any module loads (Bolt, the database
 * driver: a second or more on a busy machine), so a stop at any moment of start-up is a clean exit 0,
 * never the default 143.
 */
const earlySignals: NodeJS.Signals[] = [];
const remember = (signal: NodeJS.Signals) => earlySignals.push(signal);
process.on('SIGTERM', remember);
process.on('SIGINT', remember);

// Loaded only now, after the handlers above (an import would be hoisted above them).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const start = require('./start') as typeof import('./start');
process.off('SIGTERM', remember);
process.off('SIGINT', remember);
start.main(earlySignals).catch(start.failedToStart);
