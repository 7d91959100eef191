// KServe's folder for a model on the node's disk: models/<first 16 hex chars of SHA-256(raw URI)>.
// The serving pod's subPath is built the same way by KServe's webhook, so this must match byte for byte.
import { createHash } from 'node:crypto';

/** A fleet asks for the same few URIs once per Job, thousands of times: each is hashed once. */
const keys = new Map<string, string>();

export function storageKey(sourceModelUri: string): string {
  let key = keys.get(sourceModelUri);
  if (key === undefined) {
    key = createHash('sha256').update(sourceModelUri, 'utf8').digest('hex').slice(0, 16);
    keys.set(sourceModelUri, key);
  }
  return key;
}

export const modelFolder = (sourceModelUri: string): string => `models/${storageKey(sourceModelUri)}`;
