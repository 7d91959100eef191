// Small pieces of the wording of messages, so that every message says them the same way.

/** `model` for one, `models` for any other count. */
export const noun = (n: number, word: string): string => (n === 1 ? word : `${word}s`);

/** `1 model`, `2 models`. */
export const plural = (n: number, word: string): string => `${n} ${noun(n, word)}`;

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export const describeResource = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
