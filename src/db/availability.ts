import { DatabaseUnavailableError } from '../errors';
import { isDatabaseUnavailable, withDeadline } from './client';

/**
 * Runs database work for someone waiting (a Slack request): past `deadlineMs`, or when the database
 * cannot be reached, it fails with one DatabaseUnavailableError; any other error passes unchanged.
 */
export async function guardDatabase<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
  try {
    return await withDeadline(work, deadlineMs);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) throw err;
    if (isDatabaseUnavailable(err)) throw new DatabaseUnavailableError(err);
    throw err;
  }
}

/**
 * Every function of `useCases` guarded by guardDatabase: the calls keep their signatures, and a caller
 * sees either the use case's own result and errors or a DatabaseUnavailableError.
 */
export function guardedUseCases<T extends Record<string, (...args: any[]) => Promise<unknown>>>(useCases: T, deadlineMs: number): T {
  const guarded: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, run] of Object.entries(useCases)) guarded[name] = (...args) => guardDatabase(run(...args), deadlineMs);
  return guarded as T;
}
