// What the planners decide: which volumes, Jobs and DaemonSets exist and why. The builders make them;
// the summary, node drift and status read them.
import type { Cache, NodeGroup } from '../inputs/index-inputs';
import type { InventoryEntry } from '../inputs/node-inventory';
import type { Result } from '../krm/results';

export interface VolumePlan {
  cache: Cache;
  nodeGroup: NodeGroup;
}

export interface ServingPlan extends VolumePlan {
  namespace: string;
  /** What asked for it, for messages: an InferenceService or the function config. */
  reasons: string[];
}

export interface JobPlan {
  /** Caches sharing this model folder on this volume of this node; the first names and labels the Job. */
  caches: Cache[];
  node: InventoryEntry;
  /** The first cache's first node group on this node and volume: its download PVC is the one mounted. */
  nodeGroup: NodeGroup;
  /** Every node group whose volume on this node this Job fills (groups on one host folder share it). */
  nodeGroups: NodeGroup[];
  storageKey: string;
}

export interface ModelStep {
  /** Caches of this group with this model folder; the first one's download claim is mounted. */
  caches: Cache[];
  /**
   * The cache whose container and credentials download the folder: the first, over every group on the
   * same host folder, that lists it. Every pod on one folder then writes the same marker.
   */
  owner: Cache;
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

export interface LabelerPlan {
  nodeGroup: NodeGroup;
  /** The package's caches on this group, in input order: the first one's download claim is mounted. */
  caches: Cache[];
  /**
   * The package's caches on other groups of the same host folder, not on this one: another labeler
   * looks after their labels, which this one must not take for labels of removed caches.
   */
  keep: Cache[];
}

export interface Plan {
  /** Every node group of the input, by name, whether anything is planned on it or not. */
  nodeGroups: NodeGroup[];
  /** The nodes downloads go to in jobs mode; in daemonset mode, the nodes known when rendering. */
  inventory: InventoryEntry[];
  /** Each node group's nodes of the inventory (inputs/node-inventory.ts groupNodes). */
  groupNodes: ReadonlyMap<NodeGroup, readonly InventoryEntry[]>;
  downloads: VolumePlan[];
  servings: ServingPlan[];
  /** jobs mode only. */
  jobs: JobPlan[];
  /** daemonset mode only. */
  daemonSets: DaemonSetPlan[];
  /** serveOnlyWhenReady only: the labeler of each node group that holds a cache. */
  labelers: LabelerPlan[];
  /** Each namespace a cache serves (also the jobs namespace, which needs no serving volume), for the summary. */
  served: { cache: Cache; namespace: string }[];
  results: Result[];
}
