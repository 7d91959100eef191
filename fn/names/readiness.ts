// serveOnlyWhenReady's names: the node label of each cache's copy on each volume, and the names of the
// package's labeler account and cluster-scoped objects. The planner, the builders, the notes and
// `status` all read them here (docs/node-readiness.md).
import { createHash } from 'node:crypto';
import type { Cache, NodeGroup } from '../inputs/index-inputs';

export const READY_LABEL_PREFIX = 'models.kserve-localmodel.dev';
export const READY_VALUE = 'ready';

const hex = (text: string, length: number): string =>
  createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);

/**
 * The package: its jobs namespace and packageName (none for a package alone in its jobs namespace).
 * Two packages on one cluster differ in one or the other, and everything below that two packages could
 * both write is named after both.
 */
export interface ReadinessPackage {
  jobNamespace: string;
  packageName?: string;
}

/** 8 hex characters of SHA-256 of the jobs namespace and the package name: the labels' package part. */
export const packageTag = (p: ReadinessPackage): string =>
  hex(JSON.stringify([p.jobNamespace, p.packageName ?? '']), 8);

/**
 * 16 hex characters of SHA-256 of the cache's kind, namespace and name: what stays when its URI changes
 * (a new model version), so the serving PV that requires the label stays too.
 */
export const cacheTag = (cache: { kind: string; namespace: string; name: string }): string =>
  hex(JSON.stringify([cache.kind, cache.namespace, cache.name]), 16);

/**
 * The volume tag: 8 hex characters of SHA-256 of the group's volume identity (its host path, see
 * inputs/host-folder.ts). A node in two groups with different host paths holds two copies of a model, and
 * each copy has its own label; groups on one host path share the folder and so the label.
 */
export const volumeTag = (volume: string): string => hex(volume, 8);

/** `models.kserve-localmodel.dev/<package>.<cache>.<volume>`: 34 characters after the slash, of the 63 allowed. */
export const readyLabel = (pkg: string, cache: string, volume: string): string =>
  `${READY_LABEL_PREFIX}/${pkg}.${cache}.${volume}`;

/** The keys one package's labeler may set or remove, and no other package's. */
export const packageLabelPattern = (pkg: string): string =>
  `^${READY_LABEL_PREFIX.replaceAll('.', '\\.')}/${pkg}\\.[0-9a-f]{16}\\.[0-9a-f]{8}$`;

/** `kserve-localmodel-fn-labeler[-<package>]`, in the jobs namespace: one package's, never another's. */
export const labelerAccountName = (p: ReadinessPackage): string =>
  `kserve-localmodel-fn-labeler${p.packageName ? `-${p.packageName}` : ''}`;

/**
 * The cluster-scoped objects (ClusterRole and its binding, the policy and its binding):
 * `kserve-localmodel-fn-node-readiness.<jobs namespace>[.<package>]`, joined by dots, which neither may
 * hold, so no two packages share one.
 */
export const readinessName = (p: ReadinessPackage): string =>
  `kserve-localmodel-fn-node-readiness.${p.jobNamespace}${p.packageName ? `.${p.packageName}` : ''}`;

/** The label a serving PV of `cache` on `nodeGroup` requires: the package, the cache and the group's volume, not the URI. */
export const readyLabelOf = (pkg: ReadinessPackage, cache: Cache, nodeGroup: NodeGroup): string =>
  readyLabel(packageTag(pkg), cacheTag(cache), volumeTag(nodeGroup.volume));
