// The pure core: input items and function config in, output items and results out. No I/O, no clock,
// no randomness, nothing that depends on the order of the input.
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type {
  Container,
  NodeSelectorTerm,
  PersistentVolume,
  PersistentVolumeClaim,
  Toleration,
  Volume,
} from 'kubernetes-types/core/v1';
import type { ClusterRole, ClusterRoleBinding } from 'kubernetes-types/rbac/v1';
import { markGenerated, sortGenerated, sortPassThrough } from './assemble';
import type { CredentialWiring } from './credentials';
import { credentialsFor } from './credentials';
import { immutableChanges } from './gitops/immutable';
import { strictResults } from './gitops/strict';
import type { FnConfig } from './inputs/fn-config';
import { parseFnConfig, withOverrides } from './inputs/fn-config';
import type { Cache, Inputs } from './inputs/index-inputs';
import { describeCache, indexInputs } from './inputs/index-inputs';
import type { KServeConfig } from './inputs/kserve-config';
import { FALLBACK_IMAGE, parseKServeConfig } from './inputs/kserve-config';
import { nodeInventory } from './inputs/node-inventory';
import { OWNER_LABEL, OWNER_VALUE } from './krm/annotations';
import type { KObject } from './krm/objects';
import { nameOf, namespaceOf } from './krm/objects';
import { compositeKey } from './krm/order';
import { error, info, warning } from './krm/report';
import type { Result } from './krm/results';
import { hasErrors, sortResults } from './krm/results';
import { describeResource } from './krm/wording';
import { matchingStorageContainers } from './kserve/storage-container';
import type { DaemonSetStep } from './manifests/daemonsets';
import { daemonSet, renameVolumes } from './manifests/daemonsets';
import type { ModelSteps } from './manifests/download-steps';
import { cleanupStep, markerText, modelSteps, STORAGE_INITIALIZER_ENTRYPOINT } from './manifests/download-steps';
import {
  containerFromStorageInitializer,
  downloadContainer,
  downloadEnv,
  downloadJob,
  PVC_SOURCE_VOLUME,
} from './manifests/jobs';
import { labelerDaemonSet } from './manifests/labeler';
import { jobNamespace } from './manifests/namespace';
import { labelerAccount, readinessPolicy, readinessRbac, withReadyAffinity } from './manifests/node-readiness';
import { downloaderSecurityContext } from './manifests/pod-security';
import { runsStepScripts, stepScriptsConfigMap } from './manifests/step-scripts';
import { persistentVolume, persistentVolumeClaim } from './manifests/volumes';
import {
  daemonSetName,
  downloadPvcName,
  downloadPvName,
  labelerName,
  servingPvcName,
  servingPvName,
} from './names/objects';
import type { ReadinessPackage } from './names/readiness';
import { cacheTag, labelerAccountName, packageTag, readyLabelOf, volumeTag } from './names/readiness';
import { adoptionNotes, latestImageNotes, nodePreparationNotes } from './notes/downloads';
import { readinessNotes } from './notes/readiness';
import type { LabelerPlan } from './plan/labelers';
import { planLabelers } from './plan/labelers';
import { plan } from './plan/plan';
import type { DaemonSetPlan, JobPlan, Plan } from './plan/types';
import { validate } from './validate';

export interface CompileOutput {
  /** Pass-through items (same objects as the input's) followed by the generated ones. */
  items: KObject[];
  results: Result[];
  /** The function config as read (strict mode, the render-only settings). */
  fnConfig: FnConfig;
  /** What was generated and why; absent when an error stopped the output. */
  plan?: Plan;
  /** The generated items, which end `items`; none when an error stopped the output. */
  generated: KObject[];
}

/**
 * `functionConfig`: the one kpt or kustomize gave (else the package's own). `overrides`: fields laid over
 * it, from Argo CD's parameters or `render --strict`.
 */
export function compile(
  items: readonly KObject[],
  functionConfig?: KObject,
  overrides?: Record<string, unknown>,
): CompileOutput {
  const inputs = indexInputs(items);
  const given = functionConfig ?? inputs.fnConfigItem;
  const fnConfigObject = overrides && Object.keys(overrides).length > 0 ? withOverrides(given, overrides) : given;
  const fn = parseFnConfig(fnConfigObject);
  const kserve = parseKServeConfig(inputs.kserveConfigMap);
  const inventory = nodeInventory(inputs.nodes, fn.config.nodes);
  const checked = validate(items, {
    inputs,
    config: kserve.config,
    fnConfig: fn.config,
    fnConfigObject,
    inventory,
  });
  const results = [...fn.results, ...kserve.results, ...replacedFnConfig(functionConfig, inputs), ...checked];
  const passThrough = sortPassThrough(items.filter((o) => !inputs.previousOutput.has(o)));
  const { strict } = fn.config;
  // Never partial manifests: on an error (strict mode: any warning) the input passes through and nothing is generated.
  const finish = (generated: KObject[], planned?: Plan): CompileOutput => {
    const refused = immutableChanges([...inputs.previousOutput], generated);
    const final = sortResults(strictResults([...results, ...refused], strict));
    if (hasErrors(final)) return { items: passThrough, results: final, fnConfig: fn.config, generated: [] };
    return { items: [...passThrough, ...generated], results: final, fnConfig: fn.config, plan: planned, generated };
  };
  // Input that failed validation is not planned: the builders rely on what validation guarantees.
  if (hasErrors(checked)) return finish([]);

  const thePlan = plan(inputs, kserve.config, fn.config, inventory);
  results.push(...thePlan.results, ...configNotes(inputs, kserve.config, thePlan));
  const built = build(thePlan, inputs, kserve.config, fn.config);
  results.push(...built.results);
  if (fn.config.createJobNamespace) {
    const made = jobNamespaceFor(kserve.config.localModel.jobNamespace, passThrough);
    if (made.object) built.objects.push(made.object);
    results.push(...made.results);
  }

  return finish(sortGenerated(built.objects.map((o) => markGenerated(o, fn.config.outputDir))), thePlan);
}

interface Built {
  objects: KObject[];
  results: Result[];
}

function build(p: Plan, inputs: Inputs, config: KServeConfig, fnConfig: FnConfig): Built {
  const results: Result[] = [];
  const byId = new Map<string, { object: KObject; source: string }>();
  const emit = (
    made: PersistentVolume | PersistentVolumeClaim | Job | DaemonSet | ClusterRole | ClusterRoleBinding | KObject,
    source: string,
  ) => {
    const object = made as KObject;
    const id = compositeKey(object.kind ?? '', namespaceOf(object), nameOf(object));
    const other = byId.get(id);
    if (other) {
      results.push({
        severity: 'error',
        message: `${describeResource(object.kind ?? '', namespaceOf(object), nameOf(object))} would be generated twice, for ${other.source} and for ${source}; rename one of them (KServe builds these names by plain concatenation)`,
      });
      return;
    }
    byId.set(id, { object, source });
  };
  const jobNamespace = config.localModel.jobNamespace;

  for (const d of p.downloads) {
    const pv = downloadPvName(d.cache, d.nodeGroup.name);
    const source = `${describeCache(d.cache)} on node group ${d.nodeGroup.name}`;
    emit(persistentVolume(pv, d.nodeGroup), source);
    emit(persistentVolumeClaim(downloadPvcName(d.cache, d.nodeGroup.name), jobNamespace, pv, d.nodeGroup), source);
  }
  const ready = fnConfig.serveOnlyWhenReady;
  const pkg: ReadinessPackage = { jobNamespace, packageName: fnConfig.packageName };
  for (const s of p.servings) {
    const pv = servingPvName(s.cache, s.nodeGroup.name, s.namespace);
    const source = `${describeCache(s.cache)} serving ${s.reasons[0]}`;
    const servingPv = persistentVolume(pv, s.nodeGroup);
    const label = readyLabelOf(pkg, s.cache, s.nodeGroup);
    emit(ready ? withReadyAffinity(servingPv, label, fnConfig.argocdSyncWave) : servingPv, source);
    emit(persistentVolumeClaim(servingPvcName(s.cache, s.nodeGroup.name), s.namespace, pv, s.nodeGroup), source);
  }
  const { containers, results: containerResults } = downloadContainers(inputs, config, fnConfig);
  results.push(
    ...containerResults,
    ...latestImageNotes(inputs, config, p),
    ...nodePreparationNotes(p, config),
    ...adoptionNotes(p, fnConfig),
  );
  if (ready) results.push(...plainFormErrors(p, containers), ...readinessNotes(p, pkg, inputs, config, fnConfig));
  const sharers = new Set<Cache>();
  for (const job of p.jobs) {
    results.push(...sharedFolderNotes(job.caches));
    for (const other of job.caches.slice(1)) {
      if (sharers.has(other)) continue;
      sharers.add(other);
      results.push(agentNote(job.caches[0], other));
    }
    emit(buildJob(job, containers, config, fnConfig), `${describeCache(job.caches[0])} on node ${job.node.name}`);
  }
  for (const ds of p.daemonSets) {
    for (const step of ds.steps)
      results.push(...sharedFolderNotes([step.owner, ...step.caches.filter((c) => c !== step.owner)]));
    const owner = ds.serviceAccountName ? ` running as ${ds.serviceAccountName}` : '';
    emit(buildDaemonSet(ds, containers, config, fnConfig), `node group ${ds.nodeGroup.name}${owner}`);
  }
  const labelers = ready ? planLabelers(p.downloads) : [];
  for (const labeler of labelers)
    emit(buildLabeler(labeler, pkg, config, fnConfig), `serveOnlyWhenReady on node group ${labeler.nodeGroup.name}`);
  if (labelers.length > 0) {
    const admission = readinessPolicy(pkg, fnConfig.argocdSyncWave);
    for (const o of [labelerAccount(pkg) as KObject, ...readinessRbac(pkg), ...admission])
      emit(o, 'serveOnlyWhenReady');
  }
  const objects = [...byId.values()].map((e) => e.object);
  if (objects.some(runsStepScripts)) objects.push(stepScriptsConfigMap(jobNamespace, fnConfig.packageName) as KObject);
  return { objects, results };
}

/** What a cache's download container is made of: worked out once per cache, not once per node. */
interface CacheContainer {
  base: Container;
  /** The command the atomic download step wraps; undefined: KServe's plain form. */
  downloader?: string[];
  credentials: CredentialWiring;
  /** The completion marker's text (manifests/download-steps.ts markerText). */
  marker: string;
}

function downloadContainers(
  inputs: Inputs,
  config: KServeConfig,
  fnConfig: FnConfig,
): { containers: Map<Cache, CacheContainer>; results: Result[] } {
  const results: Result[] = [];
  const containers = new Map<Cache, CacheContainer>();
  for (const cache of inputs.caches) {
    const { base, downloader, results: baseResults } = baseContainer(cache, inputs, config, fnConfig);
    results.push(...baseResults);
    const restricted = downloaderSecurityContext(base.securityContext);
    base.securityContext = restricted.securityContext;
    if (restricted.refused.length > 0) {
      results.push(
        warning(
          cache.object,
          'spec.sourceModelUri',
          `the ClusterStorageContainer's container asks for ${restricted.refused.join(', ')}, which Pod Security "restricted" forbids; every download pod runs restricted, so its download container runs without it. A downloader needs no privilege: drop it from the ClusterStorageContainer`,
        ),
      );
    }
    const credentials = credentialsFor(cache, { inputs, config, runAsServiceAccount: fnConfig.runAsServiceAccount });
    results.push(...credentials.results);
    const clashes = (base.env ?? []).filter((e) => credentials.env.some((c) => c.name === e.name)).map((e) => e.name);
    if (clashes.length > 0) {
      results.push(
        warning(
          cache.object,
          'spec',
          `the ClusterStorageContainer's env ${clashes.join(', ')} is replaced by the credential env of the same name on the download Job`,
        ),
      );
    }
    const marker = markerText(cache.spec.sourceModelUri, downloadEnv(base.env, credentials.env));
    containers.set(cache, { base, downloader, credentials, marker });
  }
  return { containers, results };
}

function sharedFolderNotes(caches: readonly Cache[]): Result[] {
  const [owner, ...others] = caches;
  return others
    .filter((other) => credentialShape(other) !== credentialShape(owner))
    .map((other) =>
      warning(
        other.object,
        'spec',
        `${describeCache(other)} caches the same model as ${describeCache(owner)} with other credentials; where both are on one node, one Job downloads it, with ${describeCache(owner)}'s credentials. Give both caches the same serviceAccountName and storage`,
      ),
    );
}

/**
 * KServe's node agent looks up, for a model folder, only the Job of the first cache its LocalModelNode
 * lists, in the order its manager first reconciled the caches (docs/kserve-rules.md, "KServe's agent").
 */
function agentNote(owner: Cache, other: Cache): Result {
  return info(
    other.object,
    'spec.sourceModelUri',
    `${describeCache(other)} shares its model folder with ${describeCache(owner)}, so the download Jobs are labelled model: ${owner.name} only. If KServe's node agent runs too and its LocalModelNode lists ${describeCache(other)} first (it was reconciled first, usually because it was created first), the agent finds no Job with its labels and starts a second download into the same folder. Create ${describeCache(owner)} first, or keep one cache for this model`,
  );
}

function buildJob(
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

/** One init container per model folder, each exactly its owning cache's download container, then the cleanup. */
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

/** The trusted steps around a cache's downloader, mounting the pod volume `volumeName`; none for the plain form. */
function modelStepsOf(cache: Cache, c: CacheContainer, volumeName: string, fnConfig: FnConfig): ModelSteps | undefined {
  if (!c.downloader) return undefined;
  const { runAsUser, runAsGroup } = c.base.securityContext ?? {};
  return modelSteps({
    image: fnConfig.stepImage,
    volumeName,
    storageKey: cache.storageKey,
    marker: c.marker,
    mode: fnConfig.downloadMode,
    adopt: fnConfig.adoptExistingCopies,
    ...(runAsUser !== undefined || runAsGroup !== undefined
      ? {
          user: {
            ...(runAsUser !== undefined ? { runAsUser } : {}),
            ...(runAsGroup !== undefined ? { runAsGroup } : {}),
          },
        }
      : {}),
  });
}

/** The config's tolerations, then the node group's own; one written in both is kept once. */
function tolerationsFor(nodeGroupName: string, fnConfig: FnConfig): Toleration[] {
  const all = [...fnConfig.tolerations, ...(fnConfig.nodeGroupTolerations[nodeGroupName] ?? [])];
  return all.filter((t, i) => all.findIndex((u) => JSON.stringify(u) === JSON.stringify(t)) === i);
}

/** serveOnlyWhenReady: the labeler of one node group, mounting the first cache's download claim read-only. */
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

/** The labeler judges a copy by its completion marker, which only the atomic download step writes. */
function plainFormErrors(p: Plan, containers: ReadonlyMap<Cache, CacheContainer>): Result[] {
  const downloaded = new Set(p.downloads.map((d) => d.cache));
  return [...containers]
    .filter(([cache, c]) => downloaded.has(cache) && !c.downloader)
    .map(([cache]) =>
      error(
        cache.object,
        'spec.sourceModelUri',
        `serveOnlyWhenReady needs the atomic download step, whose completion marker tells the labeler that ${describeCache(cache)}'s copy is complete, but this cache downloads in KServe's plain form (atomicDownloads is false, or its ClusterStorageContainer has no command). Turn atomicDownloads on and give the ClusterStorageContainer a command, or turn serveOnlyWhenReady off`,
      ),
    );
}

const credentialShape = (c: Cache): string => JSON.stringify([c.spec.serviceAccountName ?? '', c.spec.storage ?? null]);

/**
 * A matching `localModelDownloadJob` ClusterStorageContainer wins over the storageInitializer config.
 * The atomic step wraps the storage initializer's entrypoint, or the ClusterStorageContainer's `command`:
 * without one, the image's entrypoint is unknown, so that cache keeps KServe's plain form.
 */
function baseContainer(
  cache: Cache,
  inputs: Inputs,
  config: KServeConfig,
  fnConfig: FnConfig,
): { base: Container; downloader?: string[]; results: Result[] } {
  const [first, ...rest] = matchingStorageContainers(inputs.storageContainers, cache.spec.sourceModelUri);
  if (!first) {
    const base = containerFromStorageInitializer(config.storageInitializer);
    return { base, downloader: fnConfig.atomicDownloads ? [STORAGE_INITIALIZER_ENTRYPOINT] : undefined, results: [] };
  }
  const results: Result[] = [];
  if (rest.length > 0) {
    results.push(
      warning(
        cache.object,
        'spec.sourceModelUri',
        `ClusterStorageContainers ${[first, ...rest].map((c) => c.name).join(', ')} all support this URI; KServe would pick one at random, this function takes "${first.name}" (first by name). Narrow supportedUriFormats or disable the others`,
      ),
    );
  }
  const base = structuredClone(first.container) as unknown as Container;
  if (!fnConfig.atomicDownloads) return { base, results };
  if (!Array.isArray(base.command) || base.command.length === 0) {
    results.push(
      info(
        cache.object,
        'spec.sourceModelUri',
        `ClusterStorageContainer "${first.name}" has no container.command, so its image's entrypoint is unknown: this cache is downloaded in KServe's plain form, not atomically. Set container.command to the entrypoint (its image then needs /bin/sh) for an atomic, never-repeated download`,
      ),
    );
    return { base, results };
  }
  return { base, downloader: base.command, results };
}

/**
 * createJobNamespace: the jobs namespace, unless the user's own items have it (then kept as written). The
 * one an earlier run generated is not the user's: it is replaced like every generated object.
 */
function jobNamespaceFor(name: string, userItems: readonly KObject[]): { object?: KObject; results: Result[] } {
  const written = userItems.find((o) => o.apiVersion === 'v1' && o.kind === 'Namespace' && nameOf(o) === name);
  if (!written) return { object: jobNamespace(name) as KObject, results: [] };
  const message = `createJobNamespace: the package already has Namespace ${name}; it is kept as written and not generated`;
  return { results: [info(written, 'metadata.name', message)] };
}

/**
 * `kpt fn eval … -- key=value` hands the function a ConfigMap that stands for the whole function config:
 * the package's LocalModelFnConfig (tolerations, nodes, servingNamespaces) is then not read at all.
 */
function replacedFnConfig(functionConfig: KObject | undefined, inputs: Inputs): Result[] {
  const packageConfig = inputs.fnConfigItem;
  if (functionConfig?.kind !== 'ConfigMap' || !packageConfig) return [];
  return [
    warning(
      packageConfig,
      'spec',
      `the function config given on the command line (ConfigMap ${nameOf(functionConfig)}, e.g. from \`kpt fn eval -- key=value\`) replaces this LocalModelFnConfig: none of its settings apply, so tolerations, nodes and servingNamespaces are lost and every Job may be renamed. Pass the package's config instead (\`kpt fn eval --fn-config <its file>\`) and change the setting there`,
    ),
  ];
}

/** What inferenceservice-config (or its absence) means for these caches, said once. */
function configNotes(inputs: Inputs, config: KServeConfig, thePlan: Plan): Result[] {
  const cm = inputs.kserveConfigMap;
  const notes: Result[] = [];
  if (inputs.caches.length > 0 && !config.localModel.enabled) {
    const why = !cm
      ? 'there is no ConfigMap kserve/inferenceservice-config in the input, and KServe ships it with "enabled": false'
      : 'localModel.enabled is false or missing in inferenceservice-config, and a missing key is false in KServe';
    const message = `${why}: KServe's InferenceService webhook then labels no InferenceService, so none will use these caches. In ConfigMap kserve/inferenceservice-config set data.localModel to {"enabled": true, "jobNamespace": "${config.localModel.jobNamespace}", "fsGroup": ${config.localModel.fsGroup}} (Helm chart kserve-resources: kserve.localmodel.enabled=true), and add that ConfigMap to the package, marked config.kubernetes.io/local-config: "true" if another tool applies it`;
    notes.push(cm ? warning(cm, 'data.localModel', message) : { severity: 'warning', message });
  }
  if (!cm && thePlan.jobs.length > 0) {
    notes.push({
      severity: 'info',
      message: `there is no ConfigMap kserve/inferenceservice-config in the input: download containers that no ClusterStorageContainer supplies get the image ${config.storageInitializer.image} and no cpu or memory requests or limits, so a ResourceQuota in ${config.localModel.jobNamespace} that requires limits refuses the Jobs. Add the cluster's ConfigMap (storageInitializer's cpuRequest, cpuLimit, memoryRequest, memoryLimit are applied)`,
    });
  }
  if (!cm) return notes;
  if (config.localModel.jobTTLSecondsAfterFinished !== undefined) {
    notes.push(
      info(
        cm,
        'data.localModel',
        `jobTTLSecondsAfterFinished (${config.localModel.jobTTLSecondsAfterFinished}) is not applied: a Job deleted by its TTL would be re-created by Argo CD or Flux and download the model again. Set jobTTLSecondsAfterFinished in the function config to ask for one anyway`,
      ),
    );
  }
  const { defaultJobImage } = config.localModel;
  if (defaultJobImage !== undefined && defaultJobImage !== config.storageInitializer.image) {
    notes.push(
      info(
        cm,
        'data.localModel',
        `localModel.defaultJobImage (${defaultJobImage}) is not used: KServe's node agent reads it but downloads with storageInitializer.image, else ${FALLBACK_IMAGE}, and so does this function (${config.storageInitializer.image}). Set storageInitializer.image to choose the download image`,
      ),
    );
  }
  return notes;
}
