// The download Job for one (node, model folder): KServe's node agent's Job, with a fixed name
// (docs/kserve-rules.md, "Download Jobs"), the cache's credentials appended to its container, and the
// trusted steps of manifests/download-steps.ts before and after the downloader.
import type { Job } from 'kubernetes-types/batch/v1';
import type {
  Container,
  EnvVar,
  ResourceRequirements,
  Toleration,
  Volume,
  VolumeMount,
} from 'kubernetes-types/core/v1';
import type { StorageInitializerConfig } from '../inputs/kserve-config';
import type { InventoryEntry } from '../inputs/node-inventory';
import { HOSTNAME_LABEL } from '../inputs/node-inventory';
import { canonicalJson } from '../krm/canonical';
import { jobName } from '../names/objects';
import type { ModelSteps } from './download-steps';
import { stepInvocation } from './download-steps';
import { podSecurityContext } from './pod-security';
import { stepScriptsVolume } from './step-scripts';

export const DOWNLOAD_CONTAINER_NAME = 'kserve-localmodel-download';
export const PVC_SOURCE_VOLUME = 'kserve-pvc-source';

export interface JobInput {
  /** The cache the Job is named and labelled after. */
  cacheName: string;
  /** Set for a LocalModelNamespaceCache: becomes the `modelNamespace` label. */
  cacheNamespace: string;
  sourceModelUri: string;
  /** The model folder's name (Cache.storageKey). */
  storageKey: string;
  node: InventoryEntry;
  namespace: string;
  pvcName: string;
  /** From a matching ClusterStorageContainer, else from the storageInitializer config. */
  baseContainer: Container;
  /** The command the atomic step wraps; undefined for KServe's plain form. */
  downloader?: string[];
  /** The trusted steps around the downloader; undefined for KServe's plain form. */
  modelSteps?: ModelSteps;
  env: EnvVar[];
  volumes: Volume[];
  volumeMounts: VolumeMount[];
  serviceAccountName?: string;
  podLabels?: Record<string, string>;
  fsGroup: number;
  ttlSecondsAfterFinished?: number;
  activeDeadlineSeconds: number;
  backoffLimit: number;
  tolerations: Toleration[];
  labels: Record<string, string>;
  /** Names the step-scripts ConfigMap (step-scripts.ts). */
  packageName?: string;
}

/**
 * KServe's base download container: name, image, and (our decision, docs/kserve-rules.md "Where we
 * differ") the config's resources.
 */
export function containerFromStorageInitializer(config: StorageInitializerConfig): Container {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (config.cpuRequest) requests.cpu = config.cpuRequest;
  if (config.memoryRequest) requests.memory = config.memoryRequest;
  if (config.cpuLimit) limits.cpu = config.cpuLimit;
  if (config.memoryLimit) limits.memory = config.memoryLimit;
  const resources: ResourceRequirements = {};
  if (Object.keys(requests).length > 0) resources.requests = requests;
  if (Object.keys(limits).length > 0) resources.limits = limits;
  return {
    name: DOWNLOAD_CONTAINER_NAME,
    image: config.image,
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

/** The base container's env, then ours (credentials, the pod name); on a name clash ours wins. */
export function downloadEnv(baseEnv: readonly EnvVar[] | undefined, ours: readonly EnvVar[]): EnvVar[] {
  const names = new Set(ours.map((e) => e.name));
  return [...(baseEnv ?? []).filter((e) => !names.has(e.name)), ...ours];
}

/**
 * Args and the model mount are always ours (KServe overwrites them on a ClusterStorageContainer too);
 * credential env is appended, and on a name clash the credential wins (reported by the caller).
 */
export function downloadContainer(
  input: Pick<JobInput, 'baseContainer' | 'downloader' | 'sourceModelUri' | 'storageKey' | 'env' | 'volumeMounts'>,
  volumeName = PVC_SOURCE_VOLUME,
): Container {
  const {
    name,
    image,
    command,
    args: _args,
    env: baseEnv,
    volumeMounts: _mounts,
    terminationMessagePolicy,
    ...rest
  } = structuredClone(input.baseContainer);
  const step = stepInvocation(
    { downloader: input.downloader, sourceModelUri: input.sourceModelUri, storageKey: input.storageKey },
    volumeName,
  );
  const env = downloadEnv(baseEnv, [...input.env, ...step.env]);
  // Field order is for the reader of the generated YAML: what runs, with what, then where it writes.
  return {
    name,
    image,
    ...(step.command ? { command: step.command } : command ? { command } : {}),
    args: step.args,
    ...(env.length > 0 ? { env } : {}),
    ...rest,
    volumeMounts: [...step.volumeMounts, ...input.volumeMounts],
    ...(terminationMessagePolicy ? { terminationMessagePolicy } : {}),
  };
}

/**
 * The pod's containers in order: [prepare], download, [finalize]. All but the last are init containers,
 * so each starts only once the one before it has succeeded.
 */
function jobContainers(input: JobInput): { initContainers?: Container[]; containers: Container[] } {
  const all = [
    ...(input.modelSteps ? [input.modelSteps.prepare] : []),
    downloadContainer(input),
    ...(input.modelSteps ? [input.modelSteps.finalize] : []),
  ];
  const last = all.pop() as Container;
  return all.length > 0 ? { initContainers: all, containers: [last] } : { containers: [last] };
}

export function downloadJob(input: JobInput): Job {
  const containers = jobContainers(input);
  const spec: Job['spec'] = {
    activeDeadlineSeconds: input.activeDeadlineSeconds,
    backoffLimit: input.backoffLimit,
    ...(input.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: input.ttlSecondsAfterFinished } : {}),
    template: {
      ...(input.podLabels ? { metadata: { labels: input.podLabels } } : {}),
      spec: {
        nodeSelector: { [HOSTNAME_LABEL]: input.node.hostname },
        ...(input.serviceAccountName ? { serviceAccountName: input.serviceAccountName } : {}),
        ...(input.tolerations.length > 0 ? { tolerations: structuredClone(input.tolerations) } : {}),
        automountServiceAccountToken: false,
        ...containers,
        restartPolicy: 'Never',
        securityContext: podSecurityContext(input.fsGroup),
        volumes: [
          { name: PVC_SOURCE_VOLUME, persistentVolumeClaim: { claimName: input.pvcName } },
          ...input.volumes,
          ...stepScriptsVolume([...(containers.initContainers ?? []), ...containers.containers], input.packageName),
        ],
      },
    },
  };
  const labels: Record<string, string> = {
    model: input.cacheName,
    node: input.node.name,
    ...(input.cacheNamespace ? { modelNamespace: input.cacheNamespace } : {}),
    ...input.labels,
  };
  const job: Job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { namespace: input.namespace, labels }, spec };
  return { ...job, metadata: { name: downloadJobName(job), ...job.metadata } };
}

/**
 * `<cache>-<node>-<hash>`, the hash over the Job's namespace, labels and whole spec: a Job is immutable,
 * so any change to what it runs must give it a new name (test/job-names.test.ts holds this).
 */
export function downloadJobName(job: Job): string {
  const { namespace, labels = {} } = job.metadata ?? {};
  return jobName(labels.model ?? '', labels.node ?? '', canonicalJson({ namespace, labels, spec: job.spec }));
}
