// serveOnlyWhenReady: which labelers exist and what each looks after. One per node group that holds a
// cache of the package, in both download modes; it sets and removes the labels of the group's caches,
// and removes the package's labels on its volume of caches no group on that host folder lists.
import type { Cache, NodeGroup } from '../inputs/index-inputs';
import { compareStrings } from '../krm/order';
import type { LabelerPlan, VolumePlan } from './types';

export function planLabelers(downloads: readonly VolumePlan[]): LabelerPlan[] {
  const cachesOf = new Map<NodeGroup, Cache[]>();
  const onVolume = new Map<string, Cache[]>();
  for (const { cache, nodeGroup } of downloads) {
    const caches = cachesOf.get(nodeGroup) ?? [];
    if (!caches.includes(cache)) caches.push(cache);
    cachesOf.set(nodeGroup, caches);
    const volume = nodeGroup.volume;
    const shared = onVolume.get(volume) ?? [];
    if (!shared.includes(cache)) shared.push(cache);
    onVolume.set(volume, shared);
  }
  return [...cachesOf]
    .map(([nodeGroup, caches]) => ({
      nodeGroup,
      caches,
      keep: (onVolume.get(nodeGroup.volume) ?? []).filter((c) => !caches.includes(c)),
    }))
    .sort((a, b) => compareStrings(a.nodeGroup.name, b.nodeGroup.name));
}
