// daemonset mode: decides which DaemonSets exist and what each downloads. One per node group that holds
// a cache, split by pod ServiceAccount (a pod has one); one step per model folder, owned by the first
// cache that uses it; and the folders the cleanup step must keep on the group's volume.
import type { FnConfig } from './inputs/fn-config';
import type { Cache, NodeGroup } from './inputs/index-inputs';
import { canonicalJson } from './krm/canonical';
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
 * Which folder on a node a group's PersistentVolume is: the host path of a `local` or `hostPath` volume
 * as the kernel resolves it (hostFolder), else the volume source in canonical form. Groups with the
 * same identity share `models/` on a node that is in both: one download fills it for both, and the
 * cleanup of one keeps the other's folders (on every node: a superset, never less).
 */
export function volumeIdentity(nodeGroup: NodeGroup): string {
  const pv = nodeGroup.persistentVolumeSpec;
  for (const source of ['local', 'hostPath']) {
    const v = pv[source];
    if (isPlainObject(v) && typeof v.path === 'string') return `path:${hostFolder(v.path)}`;
  }
  const volumeSource = Object.fromEntries(Object.entries(pv).filter(([field]) => !NOT_THE_SOURCE.has(field)));
  return `source:${canonicalJson(volumeSource)}`;
}

/**
 * `/mnt//models/./` and `/mnt/models` are one folder: repeated slashes, `.` segments and a trailing
 * slash are dropped. `..` never reaches here (the API server refuses it in a host path, and so does
 * validate/generated-values.ts), so no segment can climb.
 */
export const hostFolder = (path: string): string =>
  `/${path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/')}`;

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
