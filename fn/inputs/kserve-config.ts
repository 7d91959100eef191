// ConfigMap `inferenceservice-config` (namespace `kserve`): the settings KServe's controllers read,
// with KServe's shipped values where a key or the ConfigMap itself is absent (docs/kserve-rules.md,
// "Inputs and configuration").
import type { KObject } from '../krm/objects';
import { isPlainObject, mapOf, ref } from '../krm/objects';
import type { Result } from '../krm/results';

export const KSERVE_CONFIG_NAME = 'inferenceservice-config';
export const KSERVE_NAMESPACE = 'kserve';
export const FALLBACK_IMAGE = 'kserve/storage-initializer:latest';

export interface LocalModelConfig {
  /** KServe's Go default: a missing key is false, and the shipped ConfigMap says false too. */
  enabled: boolean;
  jobNamespace: string;
  /** Read, as KServe reads it, only to say that KServe's node agent never uses it (docs/kserve-rules.md). */
  defaultJobImage?: string;
  fsGroup: number;
  /**
   * Only when the ConfigMap sets it: KServe's shipped 3600 is never applied (docs/kserve-rules.md,
   * "Where we differ").
   */
  jobTTLSecondsAfterFinished?: number;
  disableVolumeManagement: boolean;
}

export interface StorageInitializerConfig {
  image: string;
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
}

export interface S3Config {
  s3AccessKeyIDName: string;
  s3SecretAccessKeyName: string;
  s3Endpoint?: string;
  s3UseHttps?: string;
  s3Region?: string;
  s3VerifySSL?: string;
  s3UseVirtualBucket?: string;
  s3UseAccelerate?: string;
  s3UseAnonymousCredential?: string;
  s3CABundle?: string;
  s3CABundleConfigMap?: string;
}

export interface CredentialsConfig {
  storageSpecSecretName: string;
  gcsCredentialFileName: string;
  s3: S3Config;
}

export interface KServeConfig {
  localModel: LocalModelConfig;
  storageInitializer: StorageInitializerConfig;
  credentials: CredentialsConfig;
}

export const SHIPPED_CONFIG: KServeConfig = {
  localModel: {
    enabled: false,
    jobNamespace: 'kserve-localmodel-jobs',
    fsGroup: 1000,
    disableVolumeManagement: false,
  },
  storageInitializer: { image: FALLBACK_IMAGE },
  credentials: {
    storageSpecSecretName: 'storage-config',
    gcsCredentialFileName: 'gcloud-application-credentials.json',
    s3: { s3AccessKeyIDName: 'AWS_ACCESS_KEY_ID', s3SecretAccessKeyName: 'AWS_SECRET_ACCESS_KEY' },
  },
};

export const isKServeConfigMap = (o: KObject): boolean =>
  o.apiVersion === 'v1' &&
  o.kind === 'ConfigMap' &&
  o.metadata?.name === KSERVE_CONFIG_NAME &&
  (o.metadata?.namespace ?? KSERVE_NAMESPACE) === KSERVE_NAMESPACE;

/** Reads the ConfigMap's JSON keys over the shipped values; a key that is not valid JSON is an error. */
export function parseKServeConfig(configMap: KObject | undefined): { config: KServeConfig; results: Result[] } {
  const results: Result[] = [];
  if (!configMap) return { config: SHIPPED_CONFIG, results };
  const data = mapOf(configMap.data);

  const readJson = (key: string): Record<string, unknown> => {
    const raw = data[key];
    if (raw === undefined || raw === null || raw === '') return {};
    try {
      const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
      if (isPlainObject(parsed)) return parsed;
      throw new Error('not a JSON object');
    } catch (e) {
      results.push({
        severity: 'error',
        message: `data.${key} is not a JSON object (${(e as Error).message}); KServe's controllers would fail on it too. Fix the JSON, e.g. {"image": "kserve/storage-initializer:v0.16.0"}`,
        resourceRef: ref(configMap),
        field: { path: `data.${key}` },
      });
      return {};
    }
  };

  const localModel = readJson('localModel');
  const storageInitializer = readJson('storageInitializer');
  const credentials = readJson('credentials');
  const s3 = mapOf(credentials.s3);
  const gcs = mapOf(credentials.gcs);
  const shipped = SHIPPED_CONFIG;

  const config: KServeConfig = {
    localModel: {
      enabled: bool(localModel.enabled, false),
      jobNamespace: str(localModel.jobNamespace) ?? shipped.localModel.jobNamespace,
      defaultJobImage: str(localModel.defaultJobImage),
      // Wrong-typed is NaN, not the default: validation reports it rather than hiding the setting.
      fsGroup:
        localModel.fsGroup === undefined || localModel.fsGroup === null
          ? shipped.localModel.fsGroup
          : (num(localModel.fsGroup) ?? Number.NaN),
      jobTTLSecondsAfterFinished: num(localModel.jobTTLSecondsAfterFinished),
      disableVolumeManagement: bool(localModel.disableVolumeManagement, false),
    },
    storageInitializer: {
      // As KServe's node agent: storageInitializer.image, else the hard-coded fallback (never defaultJobImage).
      image: str(storageInitializer.image) ?? FALLBACK_IMAGE,
      cpuRequest: str(storageInitializer.cpuRequest),
      cpuLimit: str(storageInitializer.cpuLimit),
      memoryRequest: str(storageInitializer.memoryRequest),
      memoryLimit: str(storageInitializer.memoryLimit),
    },
    credentials: {
      storageSpecSecretName: str(credentials.storageSpecSecretName) ?? shipped.credentials.storageSpecSecretName,
      gcsCredentialFileName: str(gcs.gcsCredentialFileName) ?? shipped.credentials.gcsCredentialFileName,
      s3: {
        s3AccessKeyIDName: str(s3.s3AccessKeyIDName) ?? shipped.credentials.s3.s3AccessKeyIDName,
        s3SecretAccessKeyName: str(s3.s3SecretAccessKeyName) ?? shipped.credentials.s3.s3SecretAccessKeyName,
        s3Endpoint: str(s3.s3Endpoint),
        s3UseHttps: str(s3.s3UseHttps),
        s3Region: str(s3.s3Region),
        s3VerifySSL: str(s3.s3VerifySSL),
        s3UseVirtualBucket: str(s3.s3UseVirtualBucket),
        s3UseAccelerate: str(s3.s3UseAccelerate),
        s3UseAnonymousCredential: str(s3.s3UseAnonymousCredential),
        s3CABundle: str(s3.s3CABundle),
        s3CABundleConfigMap: str(s3.s3CABundleConfigMap),
      },
    },
  };
  return { config, results };
}

/** KServe's config fields are Go strings: a number or boolean written without quotes still means its text. */
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
/** A JSON number, or a string holding one (`"1000"`, `"-5"`, `"1.5"`): range and wholeness are validation's. */
function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}
function bool(v: unknown, fallback: boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fallback;
}
