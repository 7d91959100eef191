// Key order carries no meaning in Kubernetes objects, and the tools around us change it: kustomize sorts
// keys before it calls the function, YAML formatters reorder them. What the function copies from its input
// into a generated object, and what it hashes into a name or a label, is read in one canonical form, so
// the same package gives the same bytes whoever last wrote its files.
import { isPlainObject } from './objects';
import { compareStrings } from './order';

/** A deep copy with the keys of every mapping, at every depth, in code-unit order; lists keep their order. */
export function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (!isPlainObject(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareStrings)) sorted[key] = canonical(value[key]);
  return sorted as T;
}

/** The text every hash that feeds a name or a label is taken over. */
export const canonicalJson = (value: unknown): string => JSON.stringify(canonical(value));
