// The download workloads of the plan: a Job per node and model folder (jobs mode), a DaemonSet per node
// group and ServiceAccount (daemonset mode), and serveOnlyWhenReady's labeler per node group. Each takes
// its containers from download-containers.ts and its names from names/objects.ts.
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { NodeSelectorTerm, Toleration, Volume } from 'kubernetes-types/core/v1';
import type { FnConfig } from '../inputs/fn-config';
import type { Cache } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import { OWNER_LABEL, OWNER_VALUE } from '../krm/annotations';
import type { KObject } from '../krm/objects';
import { daemonSetName, downloadPvcName, labelerName } from '../names/objects';
import type { ReadinessPackage } from '../names/readiness';
import { cacheTag, labelerAccountName, packageTag, volumeTag } from '../names/readiness';
import type { DaemonSetPlan, JobPlan, LabelerPlan } from '../plan/types';
import type { DaemonSetStep } from './daemonsets';
import { daemonSet, renameVolumes } from './daemonsets';
import type { CacheContainer } from './download-containers';
import { modelStepsOf } from './download-containers';
import { cleanupStep } from './download-steps';
import { downloadContainer, downloadJob, PVC_SOURCE_VOLUME } from './jobs';
import { labelerDaemonSet } from './labeler';

export function buildJob(
  job: JobPlan,
  containers: ReadonlyMap<Cache, CacheContainer>,
  config: KServeConfig,
  fnConfig: FnConfig,
): Job {
  const owner = job.caches[0];
  const cacheContainer = containers.get(owner) as CacheContainer;
  const { base, downloader, credentials } = cacheContainer;
  return downloadJob({
    cacheName: owner.name,
    cacheNamespace: owner.namespace,
    sourceModelUri: owner.spec.sourceModelUri,
    storageKey: owner.storageKey,
    node: job.node,
    namespace: config.localModel.jobNamespace,
    pvcName: downloadPvcName(owner, job.nodeGroup.name),
    baseContainer: base,
    downloader,
    modelSteps: modelStepsOf(owner, cacheContainer, PVC_SOURCE_VOLUME, fnConfig),
    env: credentials.env,
    volumes: credentials.volumes,
    volumeMounts: credentials.volumeMounts,
    podLabels: credentials.podLabels,
    serviceAccountName: fnConfig.runAsServiceAccount ? owner.spec.serviceAccountName : undefined,
    fsGroup: config.localModel.fsGroup,
    ttlSecondsAfterFinished: fnConfig.jobTTLSecondsAfterFinished,
    activeDeadlineSeconds: fnConfig.jobActiveDeadlineSeconds,
    backoffLimit: fnConfig.jobBackoffLimit,
    tolerations: tolerationsFor(job.nodeGroup.name, fnConfig),
    labels: { [OWNER_LABEL]: OWNER_VALUE },
    packageName: fnConfig.packageName,
  });
}

export /** One init container per model folder, each exactly its owning cache's download container, then the cleanup. */
function buildDaemonSet(
  ds: DaemonSetPlan,
  containers: ReadonlyMap<Cache, CacheContainer>,
  config: KServeConfig,
  fnConfig: FnConfig,
): DaemonSet {
  const steps = ds.steps.map((step): DaemonSetStep => {
    const { owner } = step;
    const cacheContainer = containers.get(owner) as CacheContainer;
    const { base, downloader, credentials } = cacheContainer;
    const container = downloadContainer({
      baseContainer: base,
      downloader,
      sourceModelUri: owner.spec.sourceModelUri,
      storageKey: owner.storageKey,
      env: credentials.env,
      volumeMounts: credentials.volumeMounts,
    });
    const claim: Volume = {
      name: PVC_SOURCE_VOLUME,
      persistentVolumeClaim: { claimName: downloadPvcName(step.caches[0], ds.nodeGroup.name) },
    };
    const named = { ...container, name: `download-${step.storageKey}` };
    const renamed = renameVolumes(named, [claim, ...credentials.volumes], step.storageKey);
    const model = modelStepsOf(owner, cacheContainer, renamed.volumes[0].name, fnConfig);
    return { ...renamed, podLabels: credentials.podLabels, ...(model ? { modelSteps: model } : {}) };
  });
  const modelsVolume = steps[0].volumes[0].name;
  return daemonSet({
    name: daemonSetName(ds.nodeGroup.name, ds.serviceAccountName, fnConfig.packageName),
    namespace: config.localModel.jobNamespace,
    // The schema (schemas/localmodelnodegroup.json) and validate/generated-values.ts have checked the
    // terms: the builder may take them as the API types.
    nodeSelectorTerms: (ds.nodeGroup.nodeSelectorTerms ?? []) as NodeSelectorTerm[],
    steps,
    cleanup: fnConfig.cleanupRemovedModels ? cleanupStep(fnConfig.stepImage, modelsVolume, ds.keep) : undefined,
    serviceAccountName: ds.serviceAccountName,
    fsGroup: config.localModel.fsGroup,
    tolerations: tolerationsFor(ds.nodeGroup.name, fnConfig),
    maxUnavailable: fnConfig.maxUnavailable,
    pauseImage: fnConfig.pauseImage,
    labels: { [OWNER_LABEL]: OWNER_VALUE },
    packageName: fnConfig.packageName,
  });
}

/** The config's tolerations, then the node group's own; one written in both is kept once. */
function tolerationsFor(nodeGroupName: string, fnConfig: FnConfig): Toleration[] {
  const all = [...fnConfig.tolerations, ...(fnConfig.nodeGroupTolerations[nodeGroupName] ?? [])];
  return all.filter((t, i) => all.findIndex((u) => JSON.stringify(u) === JSON.stringify(t)) === i);
}

export /** serveOnlyWhenReady: the labeler of one node group, mounting the first cache's download claim read-only. */
function buildLabeler(labeler: LabelerPlan, pkg: ReadinessPackage, config: KServeConfig, fnConfig: FnConfig): KObject {
  const { nodeGroup } = labeler;
  return labelerDaemonSet({
    name: labelerName(nodeGroup.name, fnConfig.packageName),
    namespace: pkg.jobNamespace,
    packageName: fnConfig.packageName,
    serviceAccountName: labelerAccountName(pkg),
    nodeSelectorTerms: (nodeGroup.nodeSelectorTerms ?? []) as NodeSelectorTerm[],
    tolerations: tolerationsFor(nodeGroup.name, fnConfig),
    fsGroup: config.localModel.fsGroup,
    image: fnConfig.nodeLabelImage,
    claimName: downloadPvcName(labeler.caches[0], nodeGroup.name),
    packageTag: packageTag(pkg),
    volumeTag: volumeTag(nodeGroup.volume),
    caches: labeler.caches.map((c) => ({ tag: cacheTag(c), storageKey: c.storageKey })),
    keep: labeler.keep.map(cacheTag),
    labels: { [OWNER_LABEL]: OWNER_VALUE },
  }) as KObject;
}
