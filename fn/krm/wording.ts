// Small pieces of the wording of messages, so that every message says them the same way.

/** `1 model`, `2 models`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export const describeResource = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
