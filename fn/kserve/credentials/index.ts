// Credentials for a download Job (kserve-behaviour.md §5): what the container and pod gain from the
// cache's serviceAccountName or storage spec. Each method lives in its own module beside this one.
import type { EnvVar, Volume, VolumeMount } from 'kubernetes-types/core/v1';
import type { Cache } from '../../inputs/index-inputs';
import type { Inputs } from '../../inputs/index-inputs';
import type { KServeConfig } from '../../inputs/kserve-config';
import type { Result } from '../../krm/results';

export interface CredentialWiring {
  env: EnvVar[];
  volumes: Volume[];
  volumeMounts: VolumeMount[];
  results: Result[];
}

export interface CredentialContext {
  inputs: Inputs;
  config: KServeConfig;
}

export const NO_CREDENTIALS: CredentialWiring = { env: [], volumes: [], volumeMounts: [], results: [] };

/** No credential env at all when the cache has neither `serviceAccountName` nor `storage`. */
export function credentialsFor(cache: Cache, _context: CredentialContext): CredentialWiring {
  if (!cache.spec.serviceAccountName && !cache.spec.storage) return NO_CREDENTIALS;
  return NO_CREDENTIALS;
}
