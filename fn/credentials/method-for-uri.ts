// Where a credential for a model URI belongs, said as advice: the storage initializer reads the
// storage-config entry (STORAGE_CONFIG) only for s3://, hdfs:// and webhdfs://; every other scheme
// takes its credentials from the env and files that a ServiceAccount's secrets give (classify.ts).
import type { CredentialsConfig } from '../inputs/kserve-config';
import { HTTPS_HOST_KEY } from './classify';
import { HF_TOKEN } from './hf';
import { MODELSCOPE_API_TOKEN } from './modelscope';

const SERVICE_ACCOUNT = 'a Secret listed in the secrets of the ServiceAccount that spec.serviceAccountName names';

/** One sentence: the method that works for this URI's scheme. `entryName` is the storage-config entry in use. */
export function credentialMethodFor(uri: string, entryName: string, config: CredentialsConfig): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1].toLowerCase();
  const inert = `a storage-config entry does nothing for ${scheme}://, since the storage initializer reads it only for s3://, hdfs:// and webhdfs://`;
  switch (scheme) {
    case 's3':
      return `For s3:// put it in the ${entryName}, or in ${SERVICE_ACCOUNT} with the keys ${config.s3.s3AccessKeyIDName} and ${config.s3.s3SecretAccessKeyName}`;
    case 'hdfs':
    case 'webhdfs':
      return `For ${scheme}:// put it in the ${entryName}, or in ${SERVICE_ACCOUNT} with the key HDFS_NAMENODE and the keytab`;
    case 'hf':
      return `For hf:// the token belongs in ${SERVICE_ACCOUNT}, under the key ${HF_TOKEN}; ${inert}`;
    case 'gs':
      return `For gs:// the key file belongs in ${SERVICE_ACCOUNT}, under the key ${config.gcsCredentialFileName} (or use GKE Workload Identity); ${inert}`;
    case 'modelscope':
      return `For modelscope:// the token belongs in ${SERVICE_ACCOUNT}, under the key ${MODELSCOPE_API_TOKEN}; ${inert}`;
    case 'https':
    case 'http':
      return /^https?:\/\/[^/]*\.blob\.core\.windows\.net(?:[:/]|$)/i.test(uri)
        ? `For Azure Blob Storage it belongs in ${SERVICE_ACCOUNT}, with the keys AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_TENANT_ID, or AZURE_STORAGE_ACCESS_KEY (or use Azure Workload Identity); ${inert}`
        : `For ${scheme}:// the headers belong in ${SERVICE_ACCOUNT}, with the keys ${HTTPS_HOST_KEY} and headers; ${inert}`;
    default:
      return `Put it in the ${entryName}, or in ${SERVICE_ACCOUNT}`;
  }
}
