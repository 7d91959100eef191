// Every value the input hands to a generated object, checked at its source against the API server's
// rule for the field where it lands (k8s/apiserver-rules.ts), so the error names the field the user
// wrote, not the Job field they never see. Values the schemas already hold to the same rule (cache,
// node group and ClusterStorageContainer names, namespaces of namespaced caches, servingNamespaces)
// are not checked twice; names and label values built by concatenation are in names-and-limits.ts.
//
// Where each generated field comes from (manifests/volumes.ts, manifests/jobs.ts, credentials/*):
//   PV, PVC metadata.namespace  <- jobNamespace (names-and-limits.ts), an InferenceService's namespace (here)
//   PV, PVC spec                <- the node group's persistentVolumeSpec / persistentVolumeClaimSpec (here)
//   Job spec.template.spec:
//     serviceAccountName        <- cache spec.serviceAccountName (here)
//     tolerations               <- function config tolerations (here)
//     securityContext.fsGroup   <- inferenceservice-config localModel.fsGroup (here)
//     containers[0].image, resources <- storageInitializer, or a download-job ClusterStorageContainer (here)
//     containers[0].env         <- a ClusterStorageContainer's env (here), and credentials: secretKeyRef names
//                                  from a ServiceAccount's secrets or credentials.storageSpecSecretName, keys
//                                  from storage.key or credentials.s3 (here); `<host>-headers` (credentials/https.ts)
//     volumes[].secret          <- a ServiceAccount's secrets (here)
//     nodeSelector, labels      <- node names and hostnames, cache names (names-and-limits.ts)

import { secretNamesOf } from '../credentials/service-account';
import type { FieldProblem } from '../k8s/apiserver-rules';
import {
  backstepProblem,
  configMapKeyProblem,
  dnsLabelProblem,
  dnsSubdomainProblem,
  envVarNameProblem,
  groupIdProblem,
  imageProblem,
  labelSelectorProblems,
  nodeSelectorProblems,
  resourceRequirementsProblems,
  tolerationProblems,
} from '../k8s/apiserver-rules';
import { isPlainObject, listOf, mapOf } from '../krm/objects';
import { compareStrings, compositeKey } from '../krm/order';
import { error } from '../krm/report';
import type { Result } from '../krm/results';
import { isvcLabel } from '../kserve/isvc-usage';
import { isDownloadJobContainer } from '../kserve/storage-container';
import type { CheckContext } from './context';
import { fnConfigPath } from './context';

export function generatedValueResults(ctx: CheckContext): Result[] {
  return [
    ...servingNamespaces(ctx),
    ...cacheReferences(ctx),
    ...serviceAccountSecrets(ctx),
    ...tolerations(ctx),
    ...kserveConfig(ctx),
    ...storageContainers(ctx),
    ...volumeSpecs(ctx),
  ];
}

/** error: an InferenceService that uses a cache gets a serving PV and PVC in its namespace. */
function servingNamespaces({ inputs, config }: CheckContext): Result[] {
  if (config.localModel.disableVolumeManagement) return [];
  const results: Result[] = [];
  for (const { object: isvc, use } of inputs.inferenceServices) {
    const problem = use && dnsLabelProblem(use.namespace);
    if (problem)
      results.push(
        error(
          isvc,
          'metadata.namespace',
          `"${use.namespace}" ${problem}, so it is not a namespace Kubernetes can have; ${isvcLabel(isvc)} would get its serving PersistentVolumeClaim there. Use a namespace name such as "team-a"`,
        ),
      );
  }
  return results;
}

/** error: a cache's ServiceAccount name and storage key become the Job's serviceAccountName and a secretKeyRef key. */
function cacheReferences({ inputs, sound }: CheckContext): Result[] {
  const results: Result[] = [];
  for (const cache of inputs.caches) {
    if (!sound(cache.object)) continue;
    const sa = cache.spec.serviceAccountName;
    const saProblem = sa !== undefined && sa !== '' ? dnsSubdomainProblem(sa) : undefined;
    if (saProblem)
      results.push(
        error(
          cache.object,
          'spec.serviceAccountName',
          `"${sa}" ${saProblem}, so no ServiceAccount can have that name; the download Job's pods run as it and read its secrets. Use the ServiceAccount's real name, e.g. "hf-downloader"`,
        ),
      );
    const storageKey = cache.spec.storage?.key;
    const keyProblem =
      typeof storageKey === 'string' && storageKey !== '' ? configMapKeyProblem(storageKey) : undefined;
    if (keyProblem)
      results.push(
        error(
          cache.object,
          'spec.storage.key',
          `"${storageKey}" ${keyProblem}; it becomes the key of the download Job's STORAGE_CONFIG secretKeyRef, which the API server would refuse. Name an entry of the storage-config secret, e.g. "minio"`,
        ),
      );
  }
  return results;
}

/** error: the secrets a used ServiceAccount lists become secretKeyRef names and secret volumes of the Job. */
function serviceAccountSecrets({ inputs, config }: CheckContext): Result[] {
  const namespace = config.localModel.jobNamespace;
  const used = new Set(inputs.caches.flatMap((c) => c.spec.serviceAccountName || []));
  const results: Result[] = [];
  for (const name of [...used].sort(compareStrings)) {
    const sa = inputs.serviceAccounts.get(compositeKey(namespace, name));
    if (!sa) continue; // credentials' error
    secretNamesOf(sa).forEach((secretName, i) => {
      const problem = secretName !== '' ? dnsSubdomainProblem(secretName) : undefined; // '' is credentials' error
      if (problem)
        results.push(
          error(
            sa,
            `secrets[${i}].name`,
            `"${secretName}" ${problem}, so no Secret can have that name; it would become a secretKeyRef or secret volume of the download Jobs. Use the Secret's real name, e.g. "hf-secret"`,
          ),
        );
    });
  }
  return results;
}

/** error: the function config's tolerations are copied into every download pod. */
function tolerations(ctx: CheckContext): Result[] {
  const results: Result[] = [];
  ctx.fnConfig.tolerations.forEach((t, i) => {
    for (const p of tolerationProblems(t as Record<string, unknown>)) {
      const path = fnConfigPath(ctx, `tolerations[${i}].${p.field}`);
      const message = `${p.problem}; the API server refuses such a toleration, and it is copied into every download pod`;
      results.push(
        ctx.fnConfigObject ? error(ctx.fnConfigObject, path, message) : { severity: 'error', message, field: { path } },
      );
    }
  });
  return results;
}

/** error: inferenceservice-config values that become the download container and the pod's fsGroup. */
function kserveConfig({ inputs, config }: CheckContext): Result[] {
  const cm = inputs.kserveConfigMap;
  if (!cm) return [];
  const results: Result[] = [];
  const report = (key: string, message: string) => results.push(error(cm, `data.${key}`, message));

  const fsGroupProblem = groupIdProblem(config.localModel.fsGroup);
  if (fsGroupProblem)
    report(
      'localModel',
      `fsGroup (${String(config.localModel.fsGroup)}) ${fsGroupProblem}; it becomes the download pod's securityContext.fsGroup. Use a whole number from 0 to 2147483647, e.g. 1000`,
    );
  const image = config.storageInitializer.image;
  const imageIssue = imageProblem(image);
  if (imageIssue)
    report(
      'storageInitializer',
      `the download image ${JSON.stringify(image)} ${imageIssue}. Write the image without spaces, e.g. "kserve/storage-initializer:v0.16.0"`,
    );
  const si = config.storageInitializer;
  const resources = {
    requests: definedOnly({ cpu: si.cpuRequest, memory: si.memoryRequest }),
    limits: definedOnly({ cpu: si.cpuLimit, memory: si.memoryLimit }),
  };
  for (const p of resourceRequirementsProblems(resources))
    report(
      'storageInitializer',
      `${SETTING_OF[p.field] ?? p.field} ${p.problem}; it becomes the download container's resources.${p.field}. Use a quantity such as "100m" or "1Gi", each request at most its limit`,
    );
  for (const [setting, value] of [
    ['s3AccessKeyIDName', config.credentials.s3.s3AccessKeyIDName],
    ['s3SecretAccessKeyName', config.credentials.s3.s3SecretAccessKeyName],
  ] as const) {
    const problem = configMapKeyProblem(value);
    if (problem)
      report(
        'credentials',
        `s3.${setting} "${value}" ${problem}; it becomes the key of a secretKeyRef in the download Jobs. Name the key the S3 secrets hold`,
      );
  }
  const secretName = config.credentials.storageSpecSecretName;
  const secretProblem = dnsSubdomainProblem(secretName);
  if (secretProblem)
    report(
      'credentials',
      `storageSpecSecretName "${secretName}" ${secretProblem}, so no Secret can have that name; it becomes the secretKeyRef of STORAGE_CONFIG. Use the secret's real name, e.g. "storage-config"`,
    );
  return results;
}

const SETTING_OF: Record<string, string> = {
  'requests.cpu': 'cpuRequest',
  'requests.memory': 'memoryRequest',
  'limits.cpu': 'cpuLimit',
  'limits.memory': 'memoryLimit',
};

function definedOnly(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

/** error: a download-job ClusterStorageContainer's container becomes the download container. */
function storageContainers({ inputs, sound }: CheckContext): Result[] {
  const results: Result[] = [];
  for (const csc of inputs.storageContainers) {
    if (!sound(csc.object) || !isDownloadJobContainer(csc)) continue;
    const { container } = csc;
    const report = (field: string, problem: string) =>
      results.push(
        error(
          csc.object,
          `spec.container.${field}`,
          `${problem}; the download Jobs of the URIs this ClusterStorageContainer supports take this container, and the API server would refuse it`,
        ),
      );
    const imageIssue = imageProblem(container.image);
    if (imageIssue) report('image', `the image ${JSON.stringify(container.image ?? '')} ${imageIssue}`);
    if (
      container.terminationMessagePolicy !== undefined &&
      !TERMINATION_MESSAGE_POLICIES.includes(container.terminationMessagePolicy as string)
    )
      report(
        'terminationMessagePolicy',
        `${JSON.stringify(container.terminationMessagePolicy)} is not one of ${TERMINATION_MESSAGE_POLICIES.join(', ')}`,
      );
    const resources = mapOf(container.resources);
    for (const p of resourceRequirementsProblems(resources)) report(`resources.${p.field}`, p.problem);
    for (const p of envProblems(container.env)) report(`env${p.field}`, p.problem);
    for (const p of envFromProblems(container.envFrom)) report(`envFrom${p.field}`, p.problem);
  }
  return results;
}

/** A container's `env`: names, and the secret or ConfigMap a value comes from. */
export function envProblems(env: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  listOf(env).forEach((e, i) => {
    const entry = mapOf(e);
    const name = typeof entry.name === 'string' ? entry.name : '';
    const nameProblem = envVarNameProblem(name);
    if (nameProblem) problems.push({ field: `[${i}].name`, problem: `${JSON.stringify(name)} ${nameProblem}` });
    const from = isPlainObject(entry.valueFrom) ? entry.valueFrom : undefined;
    if (!from) return;
    const sources = Object.keys(from).filter((k) => from[k] !== undefined && from[k] !== null);
    if (sources.length !== 1)
      problems.push({
        field: `[${i}].valueFrom`,
        problem: 'must name exactly one source (secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef)',
      });
    if (typeof entry.value === 'string' && entry.value !== '')
      problems.push({ field: `[${i}].valueFrom`, problem: 'must not be set beside a non-empty value' });
    for (const refKind of ['secretKeyRef', 'configMapKeyRef']) {
      const ref = isPlainObject(from[refKind]) ? from[refKind] : undefined;
      if (!ref) continue;
      const refName = typeof ref.name === 'string' ? ref.name : '';
      const refKey = typeof ref.key === 'string' ? ref.key : '';
      const nameIssue = dnsSubdomainProblem(refName);
      if (nameIssue)
        problems.push({
          field: `[${i}].valueFrom.${refKind}.name`,
          problem: `${JSON.stringify(refName)} ${nameIssue}`,
        });
      const keyIssue = configMapKeyProblem(refKey);
      if (keyIssue)
        problems.push({ field: `[${i}].valueFrom.${refKind}.key`, problem: `${JSON.stringify(refKey)} ${keyIssue}` });
    }
  });
  return problems;
}

/** A container's `envFrom`: a prefix that makes valid names, and one secret or ConfigMap. */
export function envFromProblems(envFrom: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  listOf(envFrom).forEach((e, i) => {
    const entry = mapOf(e);
    if (typeof entry.prefix === 'string' && entry.prefix !== '') {
      const problem = envVarNameProblem(entry.prefix);
      if (problem) problems.push({ field: `[${i}].prefix`, problem: `${JSON.stringify(entry.prefix)} ${problem}` });
    }
    const refs = ['secretRef', 'configMapRef'].filter((k) => isPlainObject(entry[k]));
    if (refs.length !== 1)
      problems.push({ field: `[${i}]`, problem: 'must name exactly one of secretRef and configMapRef' });
    for (const k of refs) {
      const ref = entry[k] as Record<string, unknown>;
      const refName = typeof ref.name === 'string' ? ref.name : '';
      const problem = dnsSubdomainProblem(refName);
      if (problem) problems.push({ field: `[${i}].${k}.name`, problem: `${JSON.stringify(refName)} ${problem}` });
    }
  });
  return problems;
}

/** error: a node group's volume specs are copied into every PersistentVolume and claim made for it. */
function volumeSpecs({ inputs, sound }: CheckContext): Result[] {
  const results: Result[] = [];
  for (const [, group] of [...inputs.nodeGroups].sort(([a], [b]) => compareStrings(a, b))) {
    if (!sound(group.object)) continue;
    const pv = group.persistentVolumeSpec;
    const pvc = group.persistentVolumeClaimSpec;
    const report = (path: string, problem: string, made: string) =>
      results.push(
        error(
          group.object,
          `spec.${path}`,
          `${problem}; it is copied into every ${made} made for node group ${group.name}, which the API server would refuse`,
        ),
      );
    for (const [specName, s, made] of [
      ['persistentVolumeSpec', pv, 'PersistentVolume'],
      ['persistentVolumeClaimSpec', pvc, 'PersistentVolumeClaim'],
    ] as const) {
      if (typeof s.storageClassName === 'string' && s.storageClassName !== '') {
        const problem = dnsSubdomainProblem(s.storageClassName);
        if (problem) report(`${specName}.storageClassName`, `"${s.storageClassName}" ${problem}`, made);
      }
    }
    const affinity = mapOf(pv.nodeAffinity);
    if (isPlainObject(affinity.required)) {
      for (const p of nodeSelectorProblems(affinity.required))
        report(`persistentVolumeSpec.nodeAffinity.required.${p.field}`, p.problem, 'PersistentVolume');
    }
    for (const source of ['local', 'hostPath']) {
      const volume = isPlainObject(pv[source]) ? pv[source] : undefined;
      if (!volume) continue;
      const path = typeof volume.path === 'string' ? volume.path : '';
      const problem = path === '' ? 'is empty' : backstepProblem(path);
      if (problem)
        report(
          `persistentVolumeSpec.${source}.path`,
          `the host path ${JSON.stringify(path)} ${problem}`,
          'PersistentVolume',
        );
    }
    if (pvc.selector !== undefined && pvc.selector !== null) {
      for (const p of labelSelectorProblems(pvc.selector))
        report(`persistentVolumeClaimSpec.selector.${p.field}`, p.problem, 'PersistentVolumeClaim');
    }
  }
  return results;
}
