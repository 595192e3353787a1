import { describeError } from '../src/errors';

describe('The line Herald prints when it cannot start', () => {
  it('reads as words for whatever was thrown, never [object Object]', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    // What PGlite threw when two processes opened one DATA_DIR at once.
    expect(describeError({ name: 'ErrnoError', errno: 20 })).toBe('{"name":"ErrnoError","errno":20}');
    expect(describeError({ message: 'Program terminated with exit(1)', status: 1 })).toBe('Program terminated with exit(1)');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeError(circular)).not.toContain('[object Object]');
    expect(describeError('plain text')).toBe('plain text');
  });
});
