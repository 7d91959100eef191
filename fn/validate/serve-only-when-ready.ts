// serveOnlyWhenReady (docs/node-readiness.md): the labeler judges a copy by its completion marker, which
// only the atomic download step writes. A cache downloaded in KServe's plain form would never be labelled
// ready, and no InferenceService could start on its nodes.
import { describeCache } from '../inputs/index-inputs';
import { error } from '../krm/report';
import type { Result } from '../krm/results';
import { wrappedCommand } from '../kserve/storage-container';
import type { CheckContext } from './context';

/** error: a cache with a download on some node group and no atomic step. */
export function serveOnlyWhenReadyResults({ inputs, fnConfig, sound }: CheckContext): Result[] {
  if (!fnConfig.serveOnlyWhenReady) return [];
  return inputs.caches
    .filter((cache) => sound(cache.object) && cache.spec.nodeGroups.some((name) => inputs.nodeGroups.has(name)))
    .filter((cache) => !wrappedCommand(cache.storageContainers[0], fnConfig.atomicDownloads))
    .map((cache) =>
      error(
        cache.object,
        'spec.sourceModelUri',
        `serveOnlyWhenReady needs the atomic download step, whose completion marker tells the labeler that ${describeCache(cache)}'s copy is complete, but this cache downloads in KServe's plain form (atomicDownloads is false, or its ClusterStorageContainer has no command). Turn atomicDownloads on and give the ClusterStorageContainer a command, or turn serveOnlyWhenReady off`,
      ),
    );
}
