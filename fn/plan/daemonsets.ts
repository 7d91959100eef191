// daemonset mode: decides which DaemonSets exist and what each downloads. One per node group that holds
// a cache, split by pod ServiceAccount (a pod has one); one step per model folder, owned by the first
// cache that uses it on the group's host folder, whichever group lists it (two owners on one folder would
// write two markers for one copy, and each pod would download it again over the other's); and the
// folders the cleanup step must keep on that folder.
import type { FnConfig } from '../inputs/fn-config';
import type { Cache, NodeGroup } from '../inputs/index-inputs';
import { compareStrings, compositeKey } from '../krm/order';
import type { DaemonSetPlan, ModelStep, VolumePlan } from './types';

export function planDaemonSets(downloads: readonly VolumePlan[], fnConfig: FnConfig): DaemonSetPlan[] {
  const ownerOf = new Map<string, Cache>();
  const stepsOf = new Map<NodeGroup, Map<string, ModelStep>>();
  for (const { cache, nodeGroup } of downloads) {
    let steps = stepsOf.get(nodeGroup);
    if (!steps) {
      steps = new Map();
      stepsOf.set(nodeGroup, steps);
    }
    const key = cache.storageKey;
    const onFolder = compositeKey(nodeGroup.volume, key);
    const owner = ownerOf.get(onFolder) ?? cache;
    ownerOf.set(onFolder, owner);
    const step = steps.get(key);
    if (step) step.caches.push(cache);
    else steps.set(key, { caches: [cache], owner, storageKey: key });
  }

  const keysOnVolume = new Map<string, Set<string>>();
  for (const [nodeGroup, steps] of stepsOf) {
    const volume = nodeGroup.volume;
    const keys = keysOnVolume.get(volume) ?? new Set<string>();
    for (const key of steps.keys()) keys.add(key);
    keysOnVolume.set(volume, keys);
  }

  const plans: DaemonSetPlan[] = [];
  for (const [nodeGroup, steps] of stepsOf) {
    const keep = [...(keysOnVolume.get(nodeGroup.volume) ?? [])].sort(compareStrings);
    const byAccount = new Map<string, ModelStep[]>();
    for (const step of steps.values()) {
      const account = (fnConfig.runAsServiceAccount && step.owner.spec.serviceAccountName) || '';
      byAccount.set(account, [...(byAccount.get(account) ?? []), step]);
    }
    for (const [account, accountSteps] of byAccount)
      plans.push({ nodeGroup, serviceAccountName: account || undefined, steps: accountSteps, keep });
  }
  return plans.sort(
    (a, b) =>
      compareStrings(a.nodeGroup.name, b.nodeGroup.name) ||
      compareStrings(a.serviceAccountName ?? '', b.serviceAccountName ?? ''),
  );
}
