// Results about one input object: which resource, which field, which file, so a person can find it.
import { INDEX, LEGACY_INDEX, LEGACY_PATH, PATH } from './annotations';
import type { KObject } from './objects';
import { annotationOf, ref } from './objects';
import type { Result, Severity } from './results';

export function fileOf(o: KObject): Result['file'] | undefined {
  const path = annotationOf(o, PATH) ?? annotationOf(o, LEGACY_PATH);
  if (!path) return undefined;
  const index = Number(annotationOf(o, INDEX) ?? annotationOf(o, LEGACY_INDEX) ?? 0) || 0;
  return { path, index };
}

export function report(o: KObject, severity: Severity, fieldPath: string | undefined, message: string): Result {
  const file = fileOf(o);
  return {
    severity,
    message,
    resourceRef: ref(o),
    ...(fieldPath ? { field: { path: fieldPath } } : {}),
    ...(file ? { file } : {}),
  };
}

export const error = (o: KObject, fieldPath: string | undefined, message: string): Result =>
  report(o, 'error', fieldPath, message);
export const warning = (o: KObject, fieldPath: string | undefined, message: string): Result =>
  report(o, 'warning', fieldPath, message);
export const info = (o: KObject, fieldPath: string | undefined, message: string): Result =>
  report(o, 'info', fieldPath, message);
