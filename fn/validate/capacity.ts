// Sizes, which KServe never checks (kserve#6137): a model that does not fit its volume, or caches that
// together overflow a node group's storageLimit, fail as download Jobs on every node at run time.
import type { Cache, NodeGroup } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import { formatBytes, parseQuantity } from '../k8s/quantity';
import type { KObject } from '../krm/objects';
import { mapOf } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { error, warning } from '../krm/report';
import type { Result } from '../krm/results';
import type { CheckContext } from './context';

/** Kubernetes reads a size as an int64 (Quantity.Value()): anything larger is not a size it can hold. */
const MAX_SIZE = 2n ** 63n - 1n;

interface GroupSizes {
  storageLimit?: bigint;
  capacity?: bigint;
}

export function capacityResults(ctx: CheckContext): Result[] {
  const results: Result[] = [];
  const groups = new Map<string, GroupSizes>();
  for (const [name, group] of ctx.inputs.nodeGroups) {
    if (!ctx.sound(group.object)) continue;
    const sized = groupSizes(group);
    groups.set(name, sized.sizes);
    results.push(...sized.results);
  }
  const sizes = new Map<Cache, bigint>();
  for (const cache of ctx.inputs.caches) {
    if (!ctx.sound(cache.object)) continue;
    const modelSize = positiveSize(cache.object, 'spec.modelSize', cache.spec.modelSize);
    results.push(...modelSize.results);
    const size = modelSize.bytes;
    if (size === undefined) continue;
    sizes.set(cache, size);
    for (const nodeGroup of cache.spec.nodeGroups) {
      const capacity = groups.get(nodeGroup)?.capacity;
      if (capacity !== undefined && size > capacity) {
        results.push(
          error(
            cache.object,
            'spec.modelSize',
            `is ${String(cache.spec.modelSize)}, larger than the ${formatBytes(capacity)} volume of node group "${nodeGroup}" (persistentVolumeSpec.capacity.storage); the download cannot fit. Raise the capacity or cache the model elsewhere`,
          ),
        );
      }
    }
  }
  for (const [name, group] of groups) {
    if (group.storageLimit !== undefined) results.push(...overCommitted(ctx, name, group.storageLimit, sizes));
  }
  results.push(...sharedFolderOverCommitted(ctx, groups, sizes));
  return results;
}

/**
 * Groups on one host folder share its disk on a node that is in more than one of them: the models of
 * all those groups must fit the smallest of their storageLimits. In jobs mode the node inventory says
 * which nodes are in which groups, and an overflow is an error naming them; otherwise any node might
 * be, so it is a warning.
 */
function sharedFolderOverCommitted(
  ctx: CheckContext,
  limits: ReadonlyMap<string, GroupSizes>,
  sizes: ReadonlyMap<Cache, bigint>,
): Result[] {
  const onFolder = new Map<string, NodeGroup[]>();
  for (const [name, sized] of limits) {
    const group = ctx.inputs.nodeGroups.get(name) as NodeGroup;
    if (sized.storageLimit === undefined) continue;
    onFolder.set(group.volume, [...(onFolder.get(group.volume) ?? []), group]);
  }
  const jobs = ctx.fnConfig.downloadMode === 'jobs' && ctx.inventory.length > 0;
  const results: Result[] = [];
  for (const shared of onFolder.values()) {
    if (shared.length < 2) continue;
    // The sets of these groups that some node is in: from the inventory, or every set when unknown.
    const sets = new Map<string, { groups: NodeGroup[]; nodes: string[] }>();
    if (jobs) {
      const members = shared.map((g) => new Set(ctx.groupNodes.get(g)));
      for (const node of ctx.inventory) {
        const groups = shared.filter((_, i) => members[i].has(node));
        if (groups.length < 2) continue;
        const id = groups.map((g) => g.name).join(' ');
        const set = sets.get(id) ?? { groups, nodes: [] };
        set.nodes.push(node.name);
        sets.set(id, set);
      }
    } else sets.set('', { groups: shared, nodes: [] });
    for (const { groups, nodes } of sets.values()) {
      const total = diskUse(
        foldersOf(
          groups.map((g) => g.name),
          sizes,
        ),
      );
      // bigint: no Math.min.
      const [limit] = groups.map((g) => limits.get(g.name)?.storageLimit as bigint).sort((a, b) => (a < b ? -1 : 1));
      if (total <= limit) continue;
      const groupList = groups.map((g) => `"${g.name}"`).join(' and ');
      const shown = `${nodes.slice(0, 3).join(', ')}${nodes.length > 3 ? ` and ${nodes.length - 3} more` : ''}`;
      const who =
        nodes.length > 0
          ? `, and node ${shown} ${nodes.length > 1 ? 'are' : 'is'} in all of them: the folder holds`
          : ': a node in more than one of them would hold';
      const message = `node groups ${groupList} share one host folder${who} ${formatBytes(total)} of models there, over the smallest storageLimit, ${formatBytes(limit)}. Give the groups different host folders, raise the storageLimits, or move caches`;
      results.push(
        jobs
          ? error(groups[0].object, 'spec.storageLimit', message)
          : warning(groups[0].object, 'spec.storageLimit', message),
      );
    }
  }
  return results;
}

/** A quantity that must be a positive size; errors say why not. */
function positiveSize(o: KObject, path: string, value: unknown): { bytes?: bigint; results: Result[] } {
  if (value === undefined) return { results: [] }; // a missing required field is the schema's
  const bytes = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  if (bytes === undefined || bytes > MAX_SIZE) {
    return {
      results: [
        error(
          o,
          path,
          `${JSON.stringify(value)} is not a size Kubernetes can hold: expected a quantity such as "10Gi", below ${formatBytes(MAX_SIZE + 1n)}, with a whole-number exponent if any`,
        ),
      ],
    };
  }
  if (bytes <= 0n)
    return { results: [error(o, path, `is ${JSON.stringify(value)}; a size must be positive, e.g. "10Gi"`)] };
  return { bytes, results: [] };
}

function groupSizes(group: NodeGroup): { sizes: GroupSizes; results: Result[] } {
  const results: Result[] = [];
  const sizeAt = (path: string, value: unknown): bigint | undefined => {
    const size = positiveSize(group.object, path, value);
    results.push(...size.results);
    return size.bytes;
  };
  const capacityOf = mapOf(group.persistentVolumeSpec.capacity);
  const requests = mapOf(mapOf(group.persistentVolumeClaimSpec.resources).requests);

  const storageLimit = sizeAt('spec.storageLimit', group.storageLimit);
  if (capacityOf.storage === undefined) {
    results.push(
      error(
        group.object,
        'spec.persistentVolumeSpec.capacity.storage',
        'is missing; Kubernetes rejects a PersistentVolume without a capacity. Set it to the disk space for models on each node, e.g. capacity: {storage: 100Gi}',
      ),
    );
  }
  const capacity = sizeAt('spec.persistentVolumeSpec.capacity.storage', capacityOf.storage);
  if (requests.storage === undefined) {
    results.push(
      error(
        group.object,
        'spec.persistentVolumeClaimSpec.resources.requests.storage',
        'is missing; Kubernetes rejects a PersistentVolumeClaim without a storage request. Set it to the capacity of the persistentVolumeSpec',
      ),
    );
  }
  const request = sizeAt('spec.persistentVolumeClaimSpec.resources.requests.storage', requests.storage);
  if (request !== undefined && capacity !== undefined && request > capacity) {
    results.push(
      error(
        group.object,
        'spec.persistentVolumeClaimSpec.resources.requests.storage',
        `asks for ${formatBytes(request)}, more than the ${formatBytes(capacity)} capacity of the persistentVolumeSpec; the claims would never bind. Ask for at most the capacity`,
      ),
    );
  }
  return { sizes: { storageLimit, capacity }, results };
}

/** One model folder on a node group's volume: the caches that share it, and the space it is given. */
export interface ModelFolder {
  storageKey: string;
  /** In the order given; the first names the folder in messages. */
  caches: Cache[];
  /** The largest modelSize of its caches: whichever downloads it, that much must fit. */
  bytes: bigint;
}

/**
 * Every node of a group holds every cache that lists the group; caches of the same URI share one
 * folder (one storage key), so each model counts once, at its largest declared size. Validation and the
 * render summary both read a group's disk use from here.
 */
export function modelFolders(caches: Iterable<Cache>, sizeOf: (cache: Cache) => bigint | undefined): ModelFolder[] {
  const folders = new Map<string, ModelFolder>();
  for (const cache of caches) {
    const size = sizeOf(cache);
    if (size === undefined) continue;
    const key = cache.storageKey;
    const folder = folders.get(key);
    if (!folder) folders.set(key, { storageKey: key, caches: [cache], bytes: size });
    else {
      folder.caches.push(cache);
      if (size > folder.bytes) folder.bytes = size;
    }
  }
  return [...folders.values()];
}

export const diskUse = (folders: readonly ModelFolder[]): bigint => folders.reduce((sum, f) => sum + f.bytes, 0n);

/** The model folders of every cache that lists one of these groups, at the sizes validation read. */
const foldersOf = (groupNames: readonly string[], sizes: ReadonlyMap<Cache, bigint>): ModelFolder[] =>
  modelFolders(
    [...sizes.keys()].filter((cache) => cache.spec.nodeGroups.some((g) => groupNames.includes(g))),
    (cache) => sizes.get(cache),
  );

function overCommitted(
  ctx: CheckContext,
  name: string,
  storageLimit: bigint,
  sizes: ReadonlyMap<Cache, bigint>,
): Result[] {
  const folders = foldersOf([name], sizes);
  const total = diskUse(folders);
  if (total <= storageLimit) return [];
  const group = ctx.inputs.nodeGroups.get(name) as NodeGroup;
  const parts = folders
    .map(
      (f) =>
        `${f.caches.map((c) => describeCache(c)).join(' and ')}${f.caches.length > 1 ? ' (one model)' : ''} ${formatBytes(f.bytes)}`,
    )
    .sort(compareStrings);
  return [
    error(
      group.object,
      'spec.storageLimit',
      `node group "${group.name}" holds ${formatBytes(total)} of models on each node (${parts.join(', ')}), over its storageLimit of ${formatBytes(storageLimit)}; the downloads would fill the disks. Raise storageLimit (and the volume capacity) or move caches to another node group`,
    ),
  ];
}
