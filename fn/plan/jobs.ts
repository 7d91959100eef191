// jobs mode: one download Job per (node, volume, model folder) of the node inventory.
import { compositeKey } from '../krm/order';
import type { JobPlan, Plan, VolumePlan } from './types';

/**
 * One Job per (node, volume, model folder): a node in two groups whose volumes are different folders
 * holds two copies, and each is downloaded; groups on one folder (NodeGroup.volume) share the copy. Caches
 * with the same URI on one node and volume share the Job of the first cache.
 */
export function planJobs(downloads: readonly VolumePlan[], groupNodes: Plan['groupNodes']): JobPlan[] {
  const jobs = new Map<string, JobPlan>();
  for (const { cache, nodeGroup } of downloads) {
    const key = cache.storageKey;
    const volume = nodeGroup.volume;
    for (const node of groupNodes.get(nodeGroup) ?? []) {
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
