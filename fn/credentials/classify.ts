// Which kind of credential a service account's secret holds: KServe looks for these data keys in this
// order and the FIRST one present decides, whatever else the secret holds (a secret with S3 keys and
// HF_TOKEN is an S3 secret). Only the key's presence counts, never its value.
import type { CredentialsConfig } from '../inputs/kserve-config';

export type SecretKind = 's3' | 'gcs' | 'azure' | 'azure-storage-key' | 'https' | 'hdfs' | 'hf' | 'modelscope';

export interface Classification {
  kind: SecretKind;
  /** The data key that decided. */
  key: string;
}

export const HTTPS_HOST_KEY = 'https-host';

export function classificationOrder(config: CredentialsConfig): Classification[] {
  return [
    { key: config.s3.s3SecretAccessKeyName, kind: 's3' },
    { key: config.gcsCredentialFileName, kind: 'gcs' },
    { key: 'AZ_CLIENT_ID', kind: 'azure' },
    { key: 'AZURE_CLIENT_ID', kind: 'azure' },
    { key: 'AZURE_ACCESS_TOKEN', kind: 'azure' },
    { key: 'AZURE_STORAGE_ACCESS_KEY', kind: 'azure-storage-key' },
    { key: HTTPS_HOST_KEY, kind: 'https' },
    { key: 'HDFS_NAMENODE', kind: 'hdfs' },
    { key: 'HF_TOKEN', kind: 'hf' },
    { key: 'MODELSCOPE_API_TOKEN', kind: 'modelscope' },
  ];
}

export function classify(keys: ReadonlySet<string>, config: CredentialsConfig): Classification | undefined {
  return classificationOrder(config).find((c) => keys.has(c.key));
}
