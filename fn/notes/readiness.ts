// serveOnlyWhenReady: where the package shows that the gate cannot hold, said once each
// (docs/node-readiness.md, "Where the gate does not hold").

import { SYNC_WAVE } from '../gitops/sync-wave';
import type { FnConfig } from '../inputs/fn-config';
import type { Inputs } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import type { KObject } from '../krm/objects';
import { annotationOf } from '../krm/objects';
import { info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { isvcLabel } from '../kserve/isvc-usage';
import { readinessWaves } from '../manifests/node-readiness';
import type { ReadinessPackage } from '../names/readiness';
import { readinessName, readyLabelOf } from '../names/readiness';
import type { Plan } from '../plan/types';

export function readinessNotes(
  p: Plan,
  pkg: ReadinessPackage,
  inputs: Inputs,
  config: KServeConfig,
  fnConfig: FnConfig,
): Result[] {
  return [
    ...unnamedPackage(pkg, inputs.fnConfigItem),
    ...(config.localModel.disableVolumeManagement
      ? noServingVolumes(p, pkg, inputs)
      : [...jobsNamespaceServing(pkg, inputs, fnConfig), ...managerConflicts(inputs, fnConfig)]),
  ];
}

/** Two packages without packageName in one jobs namespace would write the same cluster-scoped objects. */
function unnamedPackage(pkg: ReadinessPackage, fnConfigItem: KObject | undefined): Result[] {
  if (pkg.packageName) return [];
  const message = `serveOnlyWhenReady without packageName: this package's labeler ServiceAccount, its labels and its cluster-scoped RBAC and admission policy (${readinessName(pkg)}) are named after the jobs namespace alone, so another package in ${pkg.jobNamespace} without packageName shares them: each package's labeler removes the other's labels as those of caches it does not list, their labelers of a node group of one name are one DaemonSet that each sync takes from the other, and when one package is removed its GitOps tool prunes the RBAC and policy the other still needs. Set packageName to a name unique among the packages on this cluster; set it before the first apply, since a new name relabels every node and changes every serving PersistentVolume`;
  return [fnConfigItem ? warning(fnConfigItem, 'spec.packageName', message) : { severity: 'warning', message }];
}

/**
 * A cluster cache used in the jobs namespace mounts the download claim (KServe's name for both), whose
 * volume the download must reach on every node: it carries no readiness requirement.
 */
function jobsNamespaceServing(pkg: ReadinessPackage, inputs: Inputs, fnConfig: FnConfig): Result[] {
  const why = (what: string, cache: string) =>
    `${what} is in the jobs namespace ${pkg.jobNamespace}, where ${cache} is served from its download claim (KServe gives both one name), whose volume carries no readiness requirement: serveOnlyWhenReady does not hold there, and its pods may start on a node whose copy is incomplete. Run InferenceServices in another namespace`;
  const results: Result[] = [];
  for (const { object, use } of inputs.inferenceServices) {
    if (use && !use.cache.namespace && use.namespace === pkg.jobNamespace)
      results.push(warning(object, 'metadata.namespace', why(isvcLabel(object), describeCache(use.cache))));
  }
  fnConfig.servingNamespaces.forEach((entry, i) => {
    if (entry.namespace !== pkg.jobNamespace || !inputs.fnConfigItem) return;
    results.push(
      warning(
        inputs.fnConfigItem,
        `spec.servingNamespaces[${i}].namespace`,
        why(`servingNamespaces[${i}]`, `LocalModelCache ${entry.cache}`),
      ),
    );
  });
  return results;
}

/** With disableVolumeManagement no serving PV is generated: nothing requires the labels. */
function noServingVolumes(p: Plan, pkg: ReadinessPackage, inputs: Inputs): Result[] {
  const message = `localModel.disableVolumeManagement is true, so no serving PersistentVolume is generated and nothing requires the readiness labels: InferenceServices are not gated, and the labelers label nodes for nothing. Require each cache's label (given on the cache) in the node affinity of the serving volumes you create, as \`<label> In [ready]\` in every required term, or turn serveOnlyWhenReady off`;
  const cm = inputs.kserveConfigMap;
  const results: Result[] = [cm ? warning(cm, 'data.localModel', message) : { severity: 'warning', message }];
  const seen = new Set<string>();
  for (const { cache, nodeGroup } of p.downloads) {
    const label = readyLabelOf(pkg, cache, nodeGroup);
    if (seen.has(label)) continue;
    seen.add(label);
    results.push(
      info(
        cache.object,
        'spec.nodeGroups',
        `serveOnlyWhenReady with disableVolumeManagement: on node group ${nodeGroup.name}, the label that says this cache's copy is complete is ${label}=ready; require it in your serving volume's node affinity`,
      ),
    );
  }
  return results;
}

/**
 * KServe's manager, when it runs, creates a missing serving PV as soon as it sees a cache used, without
 * the readiness requirement, and never updates it: the generated serving PVs must come first. Their sync
 * wave puts them before caches and InferenceServices, unless one of those has its own earlier wave.
 */
function managerConflicts(inputs: Inputs, fnConfig: FnConfig): Result[] {
  const volumes = Number(readinessWaves(fnConfig.argocdSyncWave).volumes);
  const early = (o: KObject) => {
    const wave = annotationOf(o, SYNC_WAVE);
    return wave !== undefined && Number(wave) <= volumes ? wave : undefined;
  };
  const message = (what: string, wave: string) =>
    `${what} has its own sync wave ${wave}, not after the serving volumes' wave ${volumes} (serveOnlyWhenReady): Argo CD may apply it first, and if KServe's localmodel manager runs, it then creates the missing serving PersistentVolume itself, without the readiness requirement, and never updates it; the function's PV is refused (node affinity is immutable) and the InferenceService is not gated. Remove its wave or make it later than ${volumes}`;
  const results: Result[] = [];
  for (const cache of inputs.caches) {
    const wave = early(cache.object);
    if (wave !== undefined)
      results.push(warning(cache.object, `metadata.annotations[${SYNC_WAVE}]`, message(describeCache(cache), wave)));
  }
  for (const { object, use } of inputs.inferenceServices) {
    const wave = early(object);
    if (wave !== undefined && use)
      results.push(warning(object, `metadata.annotations[${SYNC_WAVE}]`, message(isvcLabel(object), wave)));
  }
  return results;
}
