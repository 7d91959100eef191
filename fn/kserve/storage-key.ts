// KServe's folder for a model on the node's disk: models/<first 16 hex chars of SHA-256(raw URI)>.
// The serving pod's subPath is built the same way by KServe's webhook, so this must match byte for byte.
import { createHash } from 'node:crypto';

export function storageKey(sourceModelUri: string): string {
  return createHash('sha256').update(sourceModelUri, 'utf8').digest('hex').slice(0, 16);
}

export const modelFolder = (sourceModelUri: string): string => `models/${storageKey(sourceModelUri)}`;
