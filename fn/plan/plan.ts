// Decides WHICH objects exist: the download volumes of each cache and group, the serving volumes of
// each namespace that uses a cache, and the download workloads: Jobs (jobs.ts) or DaemonSets
// (daemonsets.ts); and serveOnlyWhenReady's labelers (labelers.ts). The builders make them.
import type { FnConfig } from '../inputs/fn-config';
import type { Cache, Inputs } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import type { InventoryEntry } from '../inputs/node-inventory';
import { compareStrings, compositeKey } from '../krm/order';
import { warning } from '../krm/report';
import type { Result } from '../krm/results';
import { isvcLabel } from '../kserve/isvc-usage';
import { planDaemonSets } from './daemonsets';
import { planJobs } from './jobs';
import { planLabelers } from './labelers';
import type { Plan, ServingPlan, VolumePlan } from './types';

export function plan(
  inputs: Inputs,
  config: KServeConfig,
  fnConfig: FnConfig,
  inventory: InventoryEntry[],
  groupNodes: Plan['groupNodes'],
): Plan {
  const downloads: VolumePlan[] = [];
  for (const cache of inputs.caches) {
    for (const name of cache.spec.nodeGroups) {
      const nodeGroup = inputs.nodeGroups.get(name);
      if (nodeGroup) downloads.push({ cache, nodeGroup }); // else: validate/references.ts
    }
  }
  const { servings, served, results } = planServing(inputs, config, fnConfig);
  const nodeGroups = [...inputs.nodeGroups.values()].sort((a, b) => compareStrings(a.name, b.name));
  const labelers = fnConfig.serveOnlyWhenReady ? planLabelers(downloads) : [];
  const planned = { nodeGroups, inventory, groupNodes, downloads, servings, served, labelers, results };
  if (fnConfig.downloadMode === 'daemonset')
    return { ...planned, jobs: [], daemonSets: planDaemonSets(downloads, fnConfig) };
  return { ...planned, jobs: planJobs(downloads, groupNodes), daemonSets: [] };
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

  for (const { object: isvc, use } of inputs.inferenceServices) {
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
