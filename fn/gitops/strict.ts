// Strict mode (`--strict`, `strict: true` in the function config): a warning is a change a GitOps tool
// would apply and regret (a group with no download Job, a node drifted away, an update the API server
// will refuse), so a CI gate must be able to stop on it. Infos are notes and never fail.
import type { Result } from '../krm/results';

export const STRICT_NOTE = 'strict mode makes this warning an error';

export const strictResults = (results: readonly Result[], strict: boolean): Result[] =>
  strict ? warningsAsErrors(results, STRICT_NOTE) : [...results];

/** Each warning becomes an error that says why; errors and infos stay as they are. */
export function warningsAsErrors(results: readonly Result[], why: string): Result[] {
  return results.map((r) =>
    r.severity === 'warning' ? { ...r, severity: 'error', message: `${r.message} (${why})` } : r,
  );
}
