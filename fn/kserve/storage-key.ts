// KServe's folder for a model on the node's disk: models/<first 16 hex chars of SHA-256(raw URI)>.
// The serving pod's subPath is built the same way by KServe's webhook, so this must match byte for byte.
import { createHash } from 'node:crypto';

/** Hashed once per cache, when the input is indexed (Cache.storageKey); everything else reads that. */
export const storageKey = (sourceModelUri: string): string =>
  createHash('sha256').update(sourceModelUri, 'utf8').digest('hex').slice(0, 16);

/** The model's folder on the volume, as KServe's webhook mounts it (subPath). */
export const modelFolder = (storageKey: string): string => `models/${storageKey}`;
