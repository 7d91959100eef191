// The function's own configuration: kpt's ConfigMap form (`configMap:` arrives as ConfigMap
// `function-input`) or the typed kind LocalModelFnConfig (schemas/function-config.json).
import type { Toleration } from 'kubernetes-types/core/v1';
import { LOCAL_CONFIG } from '../krm/annotations';
import { canonical } from '../krm/canonical';
import type { KObject } from '../krm/objects';
import { isPlainObject, listOf, mapOf, ref } from '../krm/objects';
import type { Result } from '../krm/results';
import { readYamlValue } from '../krm/yaml-read';

export const FN_CONFIG_API_VERSION = 'fn.kserve-localmodel.dev/v1alpha1';
export const FN_CONFIG_KIND = 'LocalModelFnConfig';

export interface ServingNamespace {
  namespace: string;
  cache: string;
  nodeGroup?: string;
}

export interface InventoryNode {
  name: string;
  labels: Record<string, string>;
}

// The images the function chooses itself are pinned by digest (the multi-architecture index digest
// published for that tag; docs/security.md, "Images"), so a re-pushed tag never changes what a node runs.

/** curl on a small shell image: the labeler needs nothing else. */
export const DEFAULT_NODE_LABEL_IMAGE =
  'curlimages/curl:8.18.0@sha256:d94d07ba9e7d6de898b6d96c1a072f6f8266c687af78a74f380087a0addf5d17';

/**
 * The trusted steps (prepare, finalize, cleanup): busybox is small, has a POSIX shell and `flock`, and
 * runs nothing but our scripts, with no credentials.
 */
export const DEFAULT_STEP_IMAGE =
  'busybox:1.37.0@sha256:bdf57e528e45e4433820e045b29b4597825a1c9e38353532d90a01445013f82e';

export type DownloadMode = 'jobs' | 'daemonset';

/** The long-running container of a node-group DaemonSet: it only keeps the pod, and so its init steps, done. */
export const DEFAULT_PAUSE_IMAGE =
  'registry.k8s.io/pause:3.10@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a';

export interface FnConfig {
  /** Package-relative folder of the generated files. */
  outputDir: string;
  /** `jobs`: one Job per (node, model folder) of the inventory; `daemonset`: one DaemonSet per node group. */
  downloadMode: DownloadMode;
  /** DaemonSet rollout: how many nodes take a new or changed model at once. */
  maxUnavailable: number | string;
  pauseImage: string;
  /** DaemonSet pods remove model folders that no cache on their volume lists (manifests/download-steps.ts). */
  cleanupRemovedModels: boolean;
  jobTTLSecondsAfterFinished?: number;
  /** A Job that has not finished by then fails, e.g. one pinned to a node that is gone. */
  jobActiveDeadlineSeconds: number;
  jobBackoffLimit: number;
  /** Wrap the downloader in the atomic, marker-checked step (manifests/download-steps.ts); false: KServe's plain form. */
  atomicDownloads: boolean;
  /** Download pods run as the cache's serviceAccountName, so workload identity (IRSA, GKE, Azure) works. */
  runAsServiceAccount: boolean;
  /** Generate the jobs namespace: neither KServe nor a plain render creates it. */
  createJobNamespace: boolean;
  servingNamespaces: ServingNamespace[];
  nodes: InventoryNode[];
  tolerations: Toleration[];
  /** Added after `tolerations` to the download pods of one node group, by LocalModelNodeGroup name. */
  nodeGroupTolerations: Record<string, Toleration[]>;
  /** Warnings are errors (fn/gitops/strict.ts). */
  strict: boolean;
  /** Argo CD sync wave for caches and node groups in `render`'s output (fn/gitops/sync-wave.ts). */
  argocdSyncWave?: number;
  /** Serving volumes require the node label that the download pods set on a complete copy (docs/node-readiness.md). */
  serveOnlyWhenReady: boolean;
  /**
   * This package's name among those that share the cluster and its jobs namespace: it names what two
   * packages could both write (docs/node-readiness.md, "Many packages on one cluster"). Without it the
   * names are those of a package alone in its jobs namespace.
   */
  packageName?: string;
  /** The image of the labeler (serveOnlyWhenReady): it needs /bin/sh and curl. */
  nodeLabelImage: string;
  /** The image of the trusted steps (manifests/download-steps.ts): it needs /bin/sh and flock. */
  stepImage: string;
  /** A non-empty models/<key> without a marker (KServe's agent's copy) is taken as complete. */
  adoptExistingCopies: boolean;
}

export const DEFAULT_FN_CONFIG: FnConfig = {
  outputDir: 'generated',
  downloadMode: 'jobs',
  maxUnavailable: 1,
  pauseImage: DEFAULT_PAUSE_IMAGE,
  cleanupRemovedModels: true,
  jobActiveDeadlineSeconds: 86400,
  jobBackoffLimit: 6,
  atomicDownloads: true,
  runAsServiceAccount: true,
  createJobNamespace: false,
  servingNamespaces: [],
  nodes: [],
  tolerations: [],
  nodeGroupTolerations: {},
  strict: false,
  serveOnlyWhenReady: false,
  nodeLabelImage: DEFAULT_NODE_LABEL_IMAGE,
  stepImage: DEFAULT_STEP_IMAGE,
  adoptExistingCopies: false,
};

/**
 * The ConfigMap form's settings: each `data` value is YAML or JSON text (`runAsServiceAccount: "false"`,
 * `nodes: '[{name: gpu-1}]'`), decoded to what the typed kind's `spec` would hold.
 */
export function decodeConfigMapData(fc: KObject): { fields: Record<string, unknown>; results: Result[] } {
  const fields: Record<string, unknown> = {};
  const results: Result[] = [];
  const data = mapOf(fc.data);
  for (const [key, raw] of Object.entries(data)) {
    const read = typeof raw === 'string' ? readYamlValue(raw) : { value: raw };
    if ('value' in read) fields[key] = read.value;
    else {
      results.push({
        severity: 'error',
        message: `data.${key} is not a value this function can read: ${read.problem}`,
        resourceRef: ref(fc),
        field: { path: `data.${key}` },
      });
    }
  }
  return { fields, results };
}

export const isFnConfig = (o: KObject): boolean => o.apiVersion === FN_CONFIG_API_VERSION && o.kind === FN_CONFIG_KIND;

/**
 * Reads either form into one FnConfig. Type checks of the typed kind are the schema's job
 * (validate/); here a wrong type falls back to the default, and the ConfigMap's strings are decoded.
 */
export function parseFnConfig(fc: KObject | undefined): { config: FnConfig; results: Result[] } {
  if (!fc) return { config: DEFAULT_FN_CONFIG, results: [] };
  const { fields, results } =
    fc.kind === 'ConfigMap' ? decodeConfigMapData(fc) : { fields: mapOf(fc.spec), results: [] };

  // Canonical key order (krm/canonical.ts): tolerations are copied into pods and hashed into Job names.
  const list = <T>(v: unknown): T[] => canonical(listOf(v).filter(isPlainObject)) as T[];
  const outputDir =
    typeof fields.outputDir === 'string' && fields.outputDir !== '' ? fields.outputDir : DEFAULT_FN_CONFIG.outputDir;
  const count = (v: unknown): number | undefined =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
  const flag = (v: unknown, otherwise: boolean): boolean => (typeof v === 'boolean' ? v : otherwise);
  const text = (v: unknown, otherwise: string): string => (typeof v === 'string' && v !== '' ? v : otherwise);
  return {
    config: {
      outputDir: outputDir.replace(/\/+$/, ''),
      downloadMode: fields.downloadMode === 'daemonset' ? 'daemonset' : 'jobs',
      maxUnavailable:
        typeof fields.maxUnavailable === 'number' || typeof fields.maxUnavailable === 'string'
          ? fields.maxUnavailable
          : DEFAULT_FN_CONFIG.maxUnavailable,
      pauseImage:
        typeof fields.pauseImage === 'string' && fields.pauseImage !== '' ? fields.pauseImage : DEFAULT_PAUSE_IMAGE,
      cleanupRemovedModels: flag(fields.cleanupRemovedModels, true),
      jobTTLSecondsAfterFinished: count(fields.jobTTLSecondsAfterFinished),
      jobActiveDeadlineSeconds: count(fields.jobActiveDeadlineSeconds) || DEFAULT_FN_CONFIG.jobActiveDeadlineSeconds,
      jobBackoffLimit: count(fields.jobBackoffLimit) ?? DEFAULT_FN_CONFIG.jobBackoffLimit,
      atomicDownloads: flag(fields.atomicDownloads, true),
      runAsServiceAccount: flag(fields.runAsServiceAccount, true),
      createJobNamespace: flag(fields.createJobNamespace, false),
      servingNamespaces: list<ServingNamespace>(fields.servingNamespaces),
      nodes: list<Record<string, unknown>>(fields.nodes).map((n) => ({
        name: String(n.name ?? ''),
        labels: canonical(mapOf(n.labels)) as Record<string, string>,
      })),
      tolerations: list<Toleration>(fields.tolerations),
      nodeGroupTolerations: Object.fromEntries(
        Object.entries(mapOf(fields.nodeGroupTolerations)).map(([group, tolerations]) => [
          group,
          list<Toleration>(tolerations),
        ]),
      ),
      strict: fields.strict === true,
      ...(Number.isInteger(fields.argocdSyncWave) ? { argocdSyncWave: fields.argocdSyncWave as number } : {}),
      serveOnlyWhenReady: fields.serveOnlyWhenReady === true,
      ...(typeof fields.packageName === 'string' && fields.packageName !== ''
        ? { packageName: fields.packageName }
        : {}),
      nodeLabelImage: text(fields.nodeLabelImage, DEFAULT_NODE_LABEL_IMAGE),
      stepImage: text(fields.stepImage, DEFAULT_STEP_IMAGE),
      adoptExistingCopies: fields.adoptExistingCopies === true,
    },
    results,
  };
}

/**
 * The package's LocalModelFnConfig with `fields` over its spec (Argo CD's parameters, `render --strict`),
 * or a new local-config one holding only them.
 */
export function withOverrides(base: KObject | undefined, fields: Record<string, unknown>): KObject {
  if (base) return { ...base, spec: { ...mapOf(base.spec), ...fields } };
  return {
    apiVersion: FN_CONFIG_API_VERSION,
    kind: FN_CONFIG_KIND,
    metadata: { name: 'kserve-localmodel-fn', annotations: { [LOCAL_CONFIG]: 'true' } },
    spec: fields,
  };
}
