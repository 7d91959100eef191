// How things are identified and ordered: never by locale or by the order of the input, so that the
// output does not depend on the machine or on how the input was shuffled.

/** By UTF-16 code units, never by locale: output must not depend on the machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One map key from several parts; NUL cannot occur in a Kubernetes name, so parts never run together. */
export const compositeKey = (...parts: readonly string[]): string => parts.join('\u0000');
