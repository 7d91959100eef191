// jobs mode: one download Job per (node, volume, model folder) of the node inventory.
import type { NodeGroup } from '../inputs/index-inputs';
import type { InventoryEntry } from '../inputs/node-inventory';
import { compositeKey } from '../krm/order';
import { nodeMatchesTerms } from '../kserve/node-affinity';
import type { JobPlan, VolumePlan } from './types';

/**
 * One Job per (node, volume, model folder): a node in two groups whose volumes are different folders
 * holds two copies, and each is downloaded; groups on one folder (NodeGroup.volume) share the copy. Caches
 * with the same URI on one node and volume share the Job of the first cache.
 */
export function planJobs(downloads: readonly VolumePlan[], nodes: readonly InventoryEntry[]): JobPlan[] {
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
    const key = cache.storageKey;
    const volume = nodeGroup.volume;
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
