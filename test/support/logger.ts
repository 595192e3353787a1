import { createLogger } from '../../src/logger';

/** Quiet by default; TEST_LOG_LEVEL=warn (or debug) shows what Herald logged while a test ran. */
export const silentLogger = createLogger(process.env.TEST_LOG_LEVEL || 'silent');
