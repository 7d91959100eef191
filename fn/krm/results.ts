// KRM function results (functions-spec v1): what we tell kpt, kustomize, the CLI and the user.

import { compareStrings, compositeKey } from './order';
import { describeResource } from './wording';

export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: ResourceRef;
  field?: { path: string; currentValue?: unknown; proposedValue?: unknown };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

export const hasErrors = (results: readonly Result[]): boolean => results.some((r) => r.severity === 'error');

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Results in a stable order whatever the order of the input: severity, then resource, then field, then text. */
export function sortResults(results: readonly Result[]): Result[] {
  const key = (r: Result) =>
    compositeKey(
      r.file?.path ?? '',
      String(r.file?.index ?? 0).padStart(6, '0'),
      r.resourceRef?.kind ?? '',
      r.resourceRef?.namespace ?? '',
      r.resourceRef?.name ?? '',
      r.field?.path ?? '',
      r.message,
    );
  const unique = new Map<string, Result>();
  for (const r of results) unique.set(compositeKey(r.severity, key(r)), r);
  return [...unique.values()].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareStrings(key(a), key(b)),
  );
}

/** One line per result, for a person reading stderr (kustomize and the CLI do not show `results`). */
export function formatResult(r: Result): string {
  const where = [
    r.resourceRef && describeResource(r.resourceRef.kind, r.resourceRef.namespace, r.resourceRef.name),
    r.field?.path,
  ]
    .filter(Boolean)
    .join(' ');
  const file = r.file ? ` (${r.file.path}${r.file.index ? `#${r.file.index}` : ''})` : '';
  return `${r.severity}: ${where ? `${where}: ` : ''}${r.message}${file}`;
}
