import { createLogger } from '../../src/logger';

export const silentLogger = createLogger('silent');
