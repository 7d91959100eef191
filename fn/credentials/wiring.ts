// The pieces every credential module hands back, and the two ways an env var is made: a literal for
// what is not secret (annotations, the KServe config, fixed paths), a secretKeyRef for anything that
// lives in a Secret. Nothing here ever takes a secret's value.
import type { EnvVar, Volume, VolumeMount } from 'kubernetes-types/core/v1';
import type { Inputs } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import type { Result } from '../krm/results';

export interface CredentialContext {
  inputs: Inputs;
  config: KServeConfig;
  /** The function config's switch: whether the download pod runs as the cache's ServiceAccount. */
  runAsServiceAccount: boolean;
}

export interface CredentialWiring {
  env: EnvVar[];
  volumes: Volume[];
  volumeMounts: VolumeMount[];
  /** Labels of the download pod: Azure Workload Identity's webhook acts only on labelled pods. */
  podLabels?: Record<string, string>;
  results: Result[];
}

export const noWiring = (results: Result[] = []): CredentialWiring => ({
  env: [],
  volumes: [],
  volumeMounts: [],
  results,
});

export const literalEnv = (name: string, value: string): EnvVar => ({ name, value });

/**
 * KServe never marks its references optional; `optional` is only for a storage-config default entry
 * that may not exist.
 */
export const secretEnv = (name: string, secretName: string, key: string, optional = false): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secretName, key, ...(optional ? { optional: true } : {}) } },
});

export const secretVolume = (name: string, secretName: string): Volume => ({ name, secret: { secretName } });
