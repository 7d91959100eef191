// Azure secrets. A service-principal or token secret (data key AZ_CLIENT_ID, AZURE_CLIENT_ID or
// AZURE_ACCESS_TOKEN) gives every AZURE_* variable whose key the secret has, a legacy AZ_* key
// standing in for its AZURE_* name; a storage-key secret (AZURE_STORAGE_ACCESS_KEY) gives that one.
import type { EnvVar } from 'kubernetes-types/core/v1';
import { describeSecret } from '../inputs/secret-shape';
import { info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import type { KindBuilder } from './kind';
import { tokenByReference } from './kind';
import { secretEnv } from './wiring';

/** KServe's order. */
export const AZURE_ENV_NAMES = [
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_STORAGE_ACCESS_KEY',
  'AZURE_ACCESS_TOKEN',
  'AZURE_ACCESS_EXPIRES_ON_SECONDS',
  'AZURE_ACCOUNT_NAME',
  'AZURE_SERVICE_URL',
] as const;

/** When both are present the legacy key wins, as in KServe. */
export const AZURE_LEGACY_KEYS: Readonly<Record<string, string>> = {
  AZURE_SUBSCRIPTION_ID: 'AZ_SUBSCRIPTION_ID',
  AZURE_TENANT_ID: 'AZ_TENANT_ID',
  AZURE_CLIENT_ID: 'AZ_CLIENT_ID',
  AZURE_CLIENT_SECRET: 'AZ_CLIENT_SECRET',
};

/**
 * KServe references AZURE_TENANT_ID even when the secret has no tenant key, and such a pod never
 * starts (a token or SAS secret needs no tenant); here, like every other name, only when present.
 */
export const azureCredentials: KindBuilder = (secret) => {
  const env: EnvVar[] = [];
  const results: Result[] = [];
  const keyFor = (name: string): string | undefined => {
    const legacy = AZURE_LEGACY_KEYS[name];
    if (legacy && secret.keys.has(legacy)) return legacy;
    return secret.keys.has(name) ? name : undefined;
  };
  for (const name of AZURE_ENV_NAMES) {
    const key = keyFor(name);
    if (key) env.push(secretEnv(name, secret.name, key));
  }
  if (secret.keysComplete && keyFor('AZURE_CLIENT_SECRET') && !keyFor('AZURE_TENANT_ID')) {
    const clientSecret = keyFor('AZURE_CLIENT_SECRET') as string;
    results.push(
      warning(
        secret.object,
        secret.fieldOf(clientSecret),
        `${describeSecret(secret)} has a client secret but no AZURE_TENANT_ID (or AZ_TENANT_ID); a service-principal login needs the tenant. Add the tenant ID to the secret`,
      ),
    );
  }
  const unread = env.map((e) => e.name).filter((name) => !AZURE_ENV_READ.has(name));
  if (unread.length > 0) {
    const usable = keyFor('AZURE_CLIENT_ID') || keyFor('AZURE_STORAGE_ACCESS_KEY');
    results.push(
      info(
        secret.object,
        'data',
        `${describeSecret(secret)} gives ${unread.join(', ')}, wired as KServe wires them, but KServe's storage initializer (v0.20.0) never reads them: an Azure download signs in with AZURE_CLIENT_ID (with AZURE_TENANT_ID and AZURE_CLIENT_SECRET, through DefaultAzureCredential) or uses AZURE_STORAGE_ACCESS_KEY${usable ? '' : '. This secret has neither, so the download is anonymous'}`,
      ),
    );
  }
  return { env, volumes: [], volumeMounts: [], results };
};

/** The variables KServe's storage initializer (python/storage, v0.20.0) reads for Azure; the rest are wired only. */
const AZURE_ENV_READ = new Set([
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_STORAGE_ACCESS_KEY',
]);

export const azureStorageKeyCredentials = tokenByReference('AZURE_STORAGE_ACCESS_KEY');
