// Strict mode (`--strict`, `strict: true` in the function config): a warning is a change a GitOps tool
// would apply and regret (a group with no download Job, a node drifted away, an update the API server
// will refuse), so a CI gate must be able to stop on it. Infos are notes and never fail.
import type { Result } from '../krm/results';

export const STRICT_NOTE = 'strict mode makes this warning an error';

export function strictResults(results: readonly Result[], strict: boolean): Result[] {
  if (!strict) return [...results];
  return results.map((r) =>
    r.severity === 'warning' ? { ...r, severity: 'error', message: `${r.message} (${STRICT_NOTE})` } : r,
  );
}
