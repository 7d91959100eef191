// Credentials for a download Job (docs/kserve-rules.md, "Credentials"): which of the three methods of docs/credentials.md a
// cache uses. `spec.storage` (a key or parameters) wins over `spec.serviceAccountName`, as in KServe;
// the service-account method is in service-account.ts, the storage methods in storage-spec.ts, and
// each kind of secret in a module of its own name (hf.ts wires HF_TOKEN, s3.ts the S3 keys, …).
import type { Cache } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import { compositeKey } from '../krm/order';
import { warning } from '../krm/report';
import type { Result } from '../krm/results';
import { describeResource } from '../krm/wording';
import { serviceAccountCredentials } from './service-account';
import { storageSpecCredentials, storageSpecOf } from './storage-spec';
import type { CredentialContext, CredentialWiring } from './wiring';
import { noWiring } from './wiring';

export type { CredentialContext, CredentialWiring } from './wiring';

/** No credential env at all when the cache has neither `serviceAccountName` nor `storage`. */
export function credentialsFor(cache: Cache, context: CredentialContext): CredentialWiring {
  const saName = cache.spec.serviceAccountName;
  const storage = storageSpecOf(cache);
  if (storage.state === 'invalid') return noWiring(storage.results);

  if (storage.state === 'set') {
    const wiring = storageSpecCredentials(cache, storage, context);
    return saName ? { ...wiring, results: [...wiring.results, ...bothSet(cache, saName, context)] } : wiring;
  }

  const notes: Result[] = [];
  if (storage.state === 'empty') {
    const instead = saName ? `the credentials come from ServiceAccount ${saName}` : 'the download gets no credentials';
    notes.push(
      warning(
        cache.object,
        'spec.storage',
        `${describeCache(cache)}: spec.storage has neither a key nor parameters, so it is ignored and ${instead} (KServe's agent would wire the secrets of the jobs namespace's default ServiceAccount instead). Set storage.key, or remove spec.storage`,
      ),
    );
  }
  if (!saName) return noWiring(notes);
  const wiring = serviceAccountCredentials(cache, saName, context);
  return { ...wiring, results: [...notes, ...wiring.results] };
}

/**
 * KServe takes a cache's credentials from its storage spec when it has one and then never looks at
 * the ServiceAccount's secrets; the pod still runs as the ServiceAccount (workload identity).
 */
function bothSet(cache: Cache, saName: string, { inputs, config, runAsServiceAccount }: CredentialContext): Result[] {
  const namespace = config.localModel.jobNamespace;
  const runsAs = runAsServiceAccount ? ` The download pod still runs as ${saName}, for workload identity.` : '';
  const results = [
    warning(
      cache.object,
      'spec.serviceAccountName',
      `${describeCache(cache)} sets both spec.serviceAccountName and spec.storage: the credentials come from spec.storage (KServe's rule: a storage spec takes precedence), and the secrets of ServiceAccount ${saName} are not wired.${runsAs} Remove one of the two to say which you mean`,
    ),
  ];
  if (runAsServiceAccount && !inputs.serviceAccounts.has(compositeKey(namespace, saName))) {
    results.push(
      warning(
        cache.object,
        'spec.serviceAccountName',
        `the download pod runs as ${describeResource('ServiceAccount', namespace, saName)}, which is not in the input; unless it exists in the cluster, the Job's pods are rejected. Add it to the package, or set runAsServiceAccount: false in the function config`,
      ),
    );
  }
  return results;
}
