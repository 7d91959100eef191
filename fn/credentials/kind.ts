// What every per-kind module (s3.ts, gcs.ts, azure.ts, https.ts, hdfs.ts, hf.ts, modelscope.ts)
// receives: one classified secret of a service account, and what it may need to know besides.
import type { CredentialsConfig } from '../inputs/kserve-config';
import type { SecretShape } from '../inputs/secret-shape';
import type { CredentialWiring } from './wiring';
import { secretEnv } from './wiring';

export interface KindContext {
  config: CredentialsConfig;
  /** For checks that compare the secret with the model it serves (https-host against the URI's host). */
  sourceModelUri: string;
}

export type KindBuilder = (secret: SecretShape, context: KindContext) => CredentialWiring;

/** A kind that is one token: the env var of the key's own name, by reference to that key. */
export const tokenByReference =
  (key: string): KindBuilder =>
  (secret) => ({ env: [secretEnv(key, secret.name, key)], volumes: [], volumeMounts: [], results: [] });
