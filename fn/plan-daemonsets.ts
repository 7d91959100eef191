// daemonset mode: decides which DaemonSets exist and what each downloads. One per node group that holds
// a cache, split by pod ServiceAccount (a pod has one); one step per model folder, owned by the first
// cache that uses it; and the folders the cleanup step must keep on the group's volume.
import type { FnConfig } from './inputs/fn-config';
import type { Cache, NodeGroup } from './inputs/index-inputs';
import { isPlainObject } from './krm/objects';
import { compareStrings } from './krm/order';
import { storageKey } from './kserve/storage-key';
import type { VolumePlan } from './plan';

export interface ModelStep {
  /** Caches of this group with this model folder; the first one's container and credentials are used. */
  caches: Cache[];
  storageKey: string;
}

export interface DaemonSetPlan {
  nodeGroup: NodeGroup;
  /** The pod's ServiceAccount; undefined runs it as the namespace's default. */
  serviceAccountName?: string;
  steps: ModelStep[];
  /** Sorted storage keys that any cache of any node group on the same volume lists: never cleaned up. */
  keep: string[];
}

export function planDaemonSets(downloads: readonly VolumePlan[], fnConfig: FnConfig): DaemonSetPlan[] {
  const stepsOf = new Map<NodeGroup, Map<string, ModelStep>>();
  for (const { cache, nodeGroup } of downloads) {
    let steps = stepsOf.get(nodeGroup);
    if (!steps) {
      steps = new Map();
      stepsOf.set(nodeGroup, steps);
    }
    const key = storageKey(cache.spec.sourceModelUri);
    const step = steps.get(key);
    if (step) step.caches.push(cache);
    else steps.set(key, { caches: [cache], storageKey: key });
  }

  const keysOnVolume = new Map<string, Set<string>>();
  for (const [nodeGroup, steps] of stepsOf) {
    const volume = volumeIdentity(nodeGroup);
    const keys = keysOnVolume.get(volume) ?? new Set<string>();
    for (const key of steps.keys()) keys.add(key);
    keysOnVolume.set(volume, keys);
  }

  const plans: DaemonSetPlan[] = [];
  for (const [nodeGroup, steps] of stepsOf) {
    const keep = [...(keysOnVolume.get(volumeIdentity(nodeGroup)) ?? [])].sort(compareStrings);
    const byAccount = new Map<string, ModelStep[]>();
    for (const step of steps.values()) {
      const account = (fnConfig.runAsServiceAccount && step.caches[0].spec.serviceAccountName) || '';
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

/**
 * Which folder on a node a group's PersistentVolume is: the host path of a `local` or `hostPath` volume,
 * else the volume source as written. Groups with the same identity share `models/` on a node that is in
 * both, so the cleanup of one keeps the other's folders (on every node: a superset, never less).
 */
export function volumeIdentity(nodeGroup: NodeGroup): string {
  const pv = nodeGroup.persistentVolumeSpec;
  for (const source of ['local', 'hostPath']) {
    const v = pv[source];
    if (isPlainObject(v) && typeof v.path === 'string') return `path:${v.path.replace(/\/+$/, '') || '/'}`;
  }
  const source = Object.keys(pv)
    .filter((field) => !NOT_THE_SOURCE.has(field))
    .sort(compareStrings)
    .map((field) => [field, canonical(pv[field])]);
  return `source:${JSON.stringify(source)}`;
}

const NOT_THE_SOURCE = new Set([
  'capacity',
  'accessModes',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'mountOptions',
  'nodeAffinity',
  'volumeMode',
  'claimRef',
]);

/** Keys sorted at every level, so that two groups writing one source in another order are one volume. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : isPlainObject(v)
      ? Object.keys(v)
          .sort(compareStrings)
          .map((k) => [k, canonical(v[k])])
      : v;
