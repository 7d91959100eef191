// Builders for credential tests: secrets in every shape, ServiceAccounts, the KServe config, and a
// compact notation for env (`NAME=value` literal, `NAME<-secret:key` reference, `?` when optional).
import type { EnvVar } from 'kubernetes-types/core/v1';
import type { CredentialWiring } from '../../fn/credentials';
import { credentialsFor } from '../../fn/credentials';
import { indexInputs } from '../../fn/inputs/index-inputs';
import type { KServeConfig } from '../../fn/inputs/kserve-config';
import { parseKServeConfig } from '../../fn/inputs/kserve-config';
import type { KObject } from '../../fn/krm/objects';
import type { Result } from '../../fn/krm/results';
import { cache, JOBS_NS } from './fixtures';

export { JOBS_NS };

export const envLines = (env: readonly EnvVar[]): string[] =>
  env.map((e) => {
    const ref = e.valueFrom?.secretKeyRef;
    return ref ? `${e.name}<-${ref.name}:${ref.key}${ref.optional ? '?' : ''}` : `${e.name}=${e.value}`;
  });

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export type Shape = 'data' | 'stringData' | 'SealedSecret' | 'ExternalSecret' | 'SOPS';
export const SHAPES: Shape[] = ['data', 'stringData', 'SealedSecret', 'ExternalSecret', 'SOPS'];

/** One Secret in any of the forms a GitOps repository holds it; same name, keys and annotations. */
export function secretAs(
  shape: Shape,
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
  namespace = JOBS_NS,
): KObject {
  const metadata = { name, namespace, ...(annotations ? { annotations } : {}) };
  switch (shape) {
    case 'data':
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata,
        type: 'Opaque',
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
      };
    case 'stringData':
      return { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', stringData: { ...data } };
    case 'SealedSecret':
      return {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name, namespace },
        spec: {
          encryptedData: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, `AgB${b64(v)}`])),
          template: { metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, type: 'Opaque' },
        },
      };
    case 'ExternalSecret':
      return {
        apiVersion: 'external-secrets.io/v1beta1',
        kind: 'ExternalSecret',
        metadata: { name: `${name}-external`, namespace },
        spec: {
          secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
          target: { name, ...(annotations ? { template: { metadata: { annotations } } } : {}) },
          data: Object.keys(data).map((k) => ({ secretKey: k, remoteRef: { key: `models/${name}`, property: k } })),
        },
      };
    case 'SOPS':
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata,
        type: 'Opaque',
        stringData: Object.fromEntries(
          Object.entries(data).map(([k, v]) => [k, `ENC[AES256_GCM,data:${b64(v)},iv:x,tag:y,type:str]`]),
        ),
        sops: { mac: 'ENC[AES256_GCM,data:abc,type:str]', version: '3.9.0', encrypted_regex: '^(data|stringData)$' },
      };
  }
}

export const secret = (name: string, data: Record<string, string>, annotations?: Record<string, string>): KObject =>
  secretAs('stringData', name, data, annotations);

export function serviceAccount(
  name: string,
  secrets: string[],
  annotations?: Record<string, string>,
  namespace = JOBS_NS,
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    secrets: secrets.map((s) => ({ name: s })),
  };
}

export function kserveConfigMap(credentials: Record<string, unknown>, localModel?: Record<string, unknown>): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'inferenceservice-config', namespace: 'kserve' },
    data: {
      credentials: JSON.stringify(credentials),
      ...(localModel ? { localModel: JSON.stringify(localModel) } : {}),
    },
  };
}

export const configOf = (credentials: Record<string, unknown>): KServeConfig =>
  parseKServeConfig(kserveConfigMap(credentials)).config;

export interface WireOptions {
  uri?: string;
  /** `credentials` JSON of inferenceservice-config; the shipped values when absent. */
  credentials?: Record<string, unknown>;
  runAsServiceAccount?: boolean;
}

/** Credentials of one LocalModelCache `c` with the given spec fields, among the given inputs. */
export function wire(items: KObject[], spec: Record<string, unknown>, options: WireOptions = {}): CredentialWiring {
  const lmc = cache('c', options.uri ?? 's3://bucket/model', ['workers'], spec) as KObject;
  const all = [...items, lmc, ...(options.credentials ? [kserveConfigMap(options.credentials)] : [])];
  const inputs = indexInputs(all);
  const config = parseKServeConfig(inputs.kserveConfigMap).config;
  return credentialsFor(inputs.caches[0], { inputs, config, runAsServiceAccount: options.runAsServiceAccount ?? true });
}

export const messages = (results: readonly Result[], severity?: Result['severity']): string[] =>
  results.filter((r) => !severity || r.severity === severity).map((r) => r.message);
