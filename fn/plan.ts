// Decides WHICH objects exist: the download volumes of each cache and group, the serving volumes of
// each namespace that uses a cache, and one download Job per (node, volume, model folder) or, in
// daemonset mode, one DaemonSet per node group (plan-daemonsets.ts). Builders make them.
import type { FnConfig } from './inputs/fn-config';
import type { Cache, Inputs, NodeGroup } from './inputs/index-inputs';
import type { KServeConfig } from './inputs/kserve-config';
import type { InventoryEntry } from './inputs/node-inventory';
import { compareStrings, compositeKey } from './krm/order';
import { warning } from './krm/report';
import type { Result } from './krm/results';
import { cacheUseOf, isvcLabel } from './kserve/isvc-usage';
import { nodeMatchesTerms } from './kserve/node-affinity';
import { storageKey } from './kserve/storage-key';
import type { DaemonSetPlan } from './plan-daemonsets';
import { planDaemonSets, volumeIdentity } from './plan-daemonsets';

export interface VolumePlan {
  cache: Cache;
  nodeGroup: NodeGroup;
}

export interface ServingPlan extends VolumePlan {
  namespace: string;
  /** What asked for it, for messages: an InferenceService or the function config. */
  reasons: string[];
}

export interface JobPlan {
  /** Caches sharing this model folder on this volume of this node; the first names and labels the Job. */
  caches: Cache[];
  node: InventoryEntry;
  /** The first cache's first node group on this node and volume: its download PVC is the one mounted. */
  nodeGroup: NodeGroup;
  /** Every node group whose volume on this node this Job fills (groups on one host folder share it). */
  nodeGroups: NodeGroup[];
  storageKey: string;
}

export interface Plan {
  /** Every node group of the input, by name, whether anything is planned on it or not. */
  nodeGroups: NodeGroup[];
  /** The nodes downloads go to in jobs mode; in daemonset mode, the nodes known when rendering. */
  inventory: InventoryEntry[];
  downloads: VolumePlan[];
  servings: ServingPlan[];
  /** jobs mode only. */
  jobs: JobPlan[];
  /** daemonset mode only. */
  daemonSets: DaemonSetPlan[];
  /** Each namespace a cache serves (also the jobs namespace, which needs no serving volume), for the summary. */
  served: { cache: Cache; namespace: string }[];
  results: Result[];
}

export function plan(inputs: Inputs, config: KServeConfig, fnConfig: FnConfig, inventory: InventoryEntry[]): Plan {
  const downloads: VolumePlan[] = [];
  for (const cache of inputs.caches) {
    for (const name of cache.spec.nodeGroups) {
      const nodeGroup = inputs.nodeGroups.get(name);
      if (nodeGroup) downloads.push({ cache, nodeGroup }); // else: validate/references.ts
    }
  }
  const { servings, served, results } = planServing(inputs, config, fnConfig);
  const nodeGroups = [...inputs.nodeGroups.values()].sort((a, b) => compareStrings(a.name, b.name));
  const planned = { nodeGroups, inventory, downloads, servings, served, results };
  if (fnConfig.downloadMode === 'daemonset')
    return { ...planned, jobs: [], daemonSets: planDaemonSets(downloads, fnConfig) };
  return { ...planned, jobs: planJobs(downloads, inventory), daemonSets: [] };
}

function planServing(
  inputs: Inputs,
  config: KServeConfig,
  fnConfig: FnConfig,
): Pick<Plan, 'servings' | 'served' | 'results'> {
  const results: Result[] = [];
  const served: Plan['served'] = [];
  const servings = new Map<string, ServingPlan>();
  const add = (cache: Cache, nodeGroupName: string, namespace: string, reason: string) => {
    const nodeGroup = inputs.nodeGroups.get(nodeGroupName);
    if (!nodeGroup) return; // validate/references.ts
    // A cluster cache used in the jobs namespace: the download PVC has the serving name already (as in KServe).
    if (!served.some((s) => s.cache === cache && s.namespace === namespace)) served.push({ cache, namespace });
    if (config.localModel.disableVolumeManagement) return;
    if (!cache.namespace && namespace === config.localModel.jobNamespace) return;
    const id = compositeKey(cache.kind, cache.namespace, cache.name, nodeGroupName, namespace);
    const existing = servings.get(id);
    if (existing) existing.reasons.push(reason);
    else servings.set(id, { cache, nodeGroup, namespace, reasons: [reason] });
  };

  for (const isvc of inputs.inferenceServices) {
    if (!isvc.metadata?.namespace && !config.localModel.disableVolumeManagement) {
      results.push(
        warning(
          isvc,
          'metadata.namespace',
          `${isvcLabel(isvc)} has no namespace; taken to be in "default". Set metadata.namespace so the serving PVC lands where the InferenceService runs`,
        ),
      );
    }
    // An annotation naming a group the cache lacks: no use (validate/references.ts warns).
    const use = cacheUseOf(isvc, inputs.caches);
    if (use) add(use.cache, use.nodeGroupName, use.namespace, isvcLabel(isvc));
  }

  fnConfig.servingNamespaces.forEach((entry, i) => {
    // A cache or group that does not resolve is an error of validate/references.ts.
    const cache = inputs.caches.find((c) => c.kind === 'LocalModelCache' && c.name === entry.cache);
    const nodeGroup = entry.nodeGroup || cache?.spec.nodeGroups[0];
    if (cache && nodeGroup && cache.spec.nodeGroups.includes(nodeGroup))
      add(cache, nodeGroup, entry.namespace, `function config servingNamespaces[${i}]`);
  });

  return { servings: [...servings.values()], served, results };
}

/**
 * One Job per (node, volume, model folder): a node in two groups whose volumes are different folders
 * holds two copies, and each is downloaded; groups on one folder (volumeIdentity) share the copy. Caches
 * with the same URI on one node and volume share the Job of the first cache.
 */
function planJobs(downloads: readonly VolumePlan[], nodes: readonly InventoryEntry[]): JobPlan[] {
  const jobs = new Map<string, JobPlan>();
  // A group's nodes are matched once, not once per cache: a fleet has dozens of caches per group.
  const groupNodes = new Map<NodeGroup, InventoryEntry[]>();
  const nodesOf = (nodeGroup: NodeGroup): InventoryEntry[] => {
    let matching = groupNodes.get(nodeGroup);
    if (!matching) {
      matching = nodes.filter((node) => nodeMatchesTerms(node, nodeGroup.nodeSelectorTerms));
      groupNodes.set(nodeGroup, matching);
    }
    return matching;
  };
  for (const { cache, nodeGroup } of downloads) {
    const key = storageKey(cache.spec.sourceModelUri);
    const volume = volumeIdentity(nodeGroup);
    for (const node of nodesOf(nodeGroup)) {
      const id = compositeKey(node.name, volume, key);
      const job = jobs.get(id);
      if (!job) jobs.set(id, { caches: [cache], node, nodeGroup, nodeGroups: [nodeGroup], storageKey: key });
      else {
        if (!job.caches.includes(cache)) job.caches.push(cache);
        if (!job.nodeGroups.includes(nodeGroup)) job.nodeGroups.push(nodeGroup);
      }
    }
  }
  return [...jobs.values()];
}
