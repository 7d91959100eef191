// Sorts the ResourceList's items by what they mean to us, once, so that no rule ever scans the list.

import { OWNER_LABEL, OWNER_VALUE } from '../krm/annotations';
import { canonical } from '../krm/canonical';
import type { KObject } from '../krm/objects';
import { groupOf, isPlainObject, labelOf, listOf, mapOf, nameOf, namespaceOf } from '../krm/objects';
import { compareStrings, compositeKey } from '../krm/order';
import { describeResource } from '../krm/wording';
import type { CacheUses } from '../kserve/isvc-usage';
import { cacheUseOf } from '../kserve/isvc-usage';
import type { NodeSelectorTerm } from '../kserve/node-affinity';
import { matchingStorageContainers } from '../kserve/storage-container';
import { storageKey } from '../kserve/storage-key';
import { isFnConfig } from './fn-config';
import { volumeIdentity } from './host-folder';
import { isKServeConfigMap } from './kserve-config';
import type { SecretShape } from './secret-shape';
import { secretIndex, secretLikeKind } from './secret-shape';

export const SERVING_GROUP = 'serving.kserve.io';

export type CacheKind = 'LocalModelCache' | 'LocalModelNamespaceCache';

export interface CacheSpec {
  sourceModelUri: string;
  modelSize?: string | number;
  nodeGroups: string[];
  serviceAccountName?: string;
  storage?: { key?: string; parameters?: Record<string, string> };
}

/** A LocalModelCache or a LocalModelNamespaceCache: `namespace` is '' for the cluster-scoped kind. */
export interface Cache {
  kind: CacheKind;
  name: string;
  namespace: string;
  spec: CacheSpec;
  /** The model folder's name, `models/<storageKey>`: KServe's hash of the URI (kserve/storage-key.ts). */
  storageKey: string;
  /**
   * The enabled download-job ClusterStorageContainers that support the URI, by name: the first one's
   * container downloads it (kserve/storage-container.ts); none: the storageInitializer config's.
   */
  storageContainers: StorageContainer[];
  object: KObject;
}

/**
 * A LocalModelNodeGroup as the function reads it. A field of the wrong type reads as absent or empty:
 * validation reports it, and nothing past validation runs on such a group.
 */
export interface NodeGroup {
  name: string;
  /** `spec.storageLimit` as written: a quantity string or number once validated. */
  storageLimit: unknown;
  /** `spec.persistentVolumeSpec` in canonical key order (krm/canonical.ts); the PV's spec is a copy of it. */
  persistentVolumeSpec: Record<string, unknown>;
  /** `spec.persistentVolumeClaimSpec` in canonical key order; the PVCs' spec is a copy of it. */
  persistentVolumeClaimSpec: Record<string, unknown>;
  /** Which folder on a node the volume is (host-folder.ts): groups with the same one share its disk. */
  volume: string;
  /** `persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms`: which nodes the group is. */
  nodeSelectorTerms?: NodeSelectorTerm[];
  object: KObject;
}

/** A ClusterStorageContainer as the function reads it; a field of the wrong type reads as empty, as for NodeGroup. */
export interface StorageContainer {
  name: string;
  /** The top-level `disabled: true`. */
  disabled: boolean;
  /** `spec.workloadType` as written (kserve/storage-container.ts decides what it means). */
  workloadType: unknown;
  /** `spec.container` in canonical key order; a matching download-job container is a copy of it. */
  container: Record<string, unknown>;
  /** `spec.supportedUriFormats` as written, in order (results name an entry by its index). */
  supportedUriFormats: unknown[];
  object: KObject;
}

/** An InferenceService or LLMInferenceService, with the cache KServe's webhook would make it mount (kserve/isvc-usage.ts). */
export interface InferenceService extends CacheUses<Cache> {
  object: KObject;
}

export interface Inputs {
  /** Cluster caches by name, then namespaced caches by namespace and name: KServe's precedence order. */
  caches: Cache[];
  nodeGroups: Map<string, NodeGroup>;
  storageContainers: StorageContainer[];
  kserveConfigMap?: KObject;
  nodes: KObject[];
  /** By `compositeKey(namespace, name)`. */
  serviceAccounts: Map<string, KObject>;
  /** Secret, SealedSecret, ExternalSecret: anything that can stand for a Secret, by the Secret it makes. */
  secrets: Map<string, SecretShape[]>;
  inferenceServices: InferenceService[];
  fnConfigItem?: KObject;
  /** Items this function generated on an earlier run: replaced, never passed through. */
  previousOutput: Set<KObject>;
}

const isServing = (o: KObject, kind: string): boolean => groupOf(o) === SERVING_GROUP && o.kind === kind;

export function indexInputs(items: readonly KObject[]): Inputs {
  const inputs: Inputs = {
    caches: [],
    nodeGroups: new Map(),
    storageContainers: [],
    nodes: [],
    serviceAccounts: new Map(),
    secrets: new Map(),
    inferenceServices: [],
    previousOutput: new Set(),
  };
  const secretLike: KObject[] = [];
  const isvcs: KObject[] = [];
  for (const o of items) {
    if (labelOf(o, OWNER_LABEL) === OWNER_VALUE) inputs.previousOutput.add(o);
    else if (isServing(o, 'LocalModelCache') || isServing(o, 'LocalModelNamespaceCache')) {
      inputs.caches.push(toCache(o));
    } else if (isServing(o, 'LocalModelNodeGroup')) inputs.nodeGroups.set(nameOf(o), toNodeGroup(o));
    else if (isServing(o, 'ClusterStorageContainer')) inputs.storageContainers.push(toStorageContainer(o));
    else if (isServing(o, 'InferenceService') || isServing(o, 'LLMInferenceService')) isvcs.push(o);
    else if (isKServeConfigMap(o)) inputs.kserveConfigMap = o;
    else if (o.apiVersion === 'v1' && o.kind === 'Node') inputs.nodes.push(o);
    else if (o.apiVersion === 'v1' && o.kind === 'ServiceAccount')
      inputs.serviceAccounts.set(compositeKey(namespaceOf(o), nameOf(o)), o);
    else if (secretLikeKind(o)) secretLike.push(o);
    else if (isFnConfig(o)) inputs.fnConfigItem = o;
  }
  inputs.caches.sort(compareCaches);
  for (const cache of inputs.caches)
    cache.storageContainers = matchingStorageContainers(inputs.storageContainers, cache.spec.sourceModelUri);
  inputs.inferenceServices = isvcs.map((object) => ({ object, ...cacheUseOf(object, inputs.caches) }));
  inputs.secrets = secretIndex(secretLike);
  return inputs;
}

function toNodeGroup(o: KObject): NodeGroup {
  const spec = mapOf(o.spec);
  const persistentVolumeSpec = canonical(mapOf(spec.persistentVolumeSpec));
  const terms = mapOf(mapOf(persistentVolumeSpec.nodeAffinity).required).nodeSelectorTerms;
  return {
    name: nameOf(o),
    storageLimit: spec.storageLimit,
    persistentVolumeSpec,
    persistentVolumeClaimSpec: canonical(mapOf(spec.persistentVolumeClaimSpec)),
    volume: volumeIdentity(persistentVolumeSpec),
    nodeSelectorTerms: Array.isArray(terms) ? (terms as NodeSelectorTerm[]) : undefined,
    object: o,
  };
}

function toStorageContainer(o: KObject): StorageContainer {
  const spec = mapOf(o.spec);
  return {
    name: nameOf(o),
    disabled: o.disabled === true,
    workloadType: spec.workloadType,
    container: canonical(mapOf(spec.container)),
    supportedUriFormats: listOf(spec.supportedUriFormats),
    object: o,
  };
}

function toCache(o: KObject): Cache {
  const spec = mapOf(o.spec);
  const namespaced = o.kind === 'LocalModelNamespaceCache';
  const sourceModelUri = typeof spec.sourceModelUri === 'string' ? spec.sourceModelUri : '';
  return {
    kind: namespaced ? 'LocalModelNamespaceCache' : 'LocalModelCache',
    name: nameOf(o),
    namespace: namespaced ? namespaceOf(o) : '',
    spec: {
      sourceModelUri,
      modelSize: spec.modelSize as CacheSpec['modelSize'],
      nodeGroups: Array.isArray(spec.nodeGroups)
        ? [...new Set(spec.nodeGroups.filter((g): g is string => typeof g === 'string'))]
        : [],
      serviceAccountName:
        typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== ''
          ? spec.serviceAccountName
          : undefined,
      storage: isPlainObject(spec.storage) ? (canonical(spec.storage) as CacheSpec['storage']) : undefined,
    },
    storageKey: storageKey(sourceModelUri),
    storageContainers: [], // indexInputs: once every ClusterStorageContainer is read
    object: o,
  };
}

/**
 * Cluster caches first, then namespaced ones; by namespace and name within each (docs/kserve-rules.md,
 * "Which InferenceService uses which cache").
 */
function compareCaches(a: Cache, b: Cache): number {
  if (a.kind !== b.kind) return a.kind === 'LocalModelCache' ? -1 : 1;
  return compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name);
}

export const describeCache = (c: Cache): string => describeResource(c.kind, c.namespace, c.name);
