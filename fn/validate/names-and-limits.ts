// Names and label values this function derives from the input, against Kubernetes' limits: KServe
// builds the same names and labels by plain concatenation, so an input that breaks a limit here would
// break KServe's own objects at run time. Job names are always made to fit (names/objects.ts).

import type { Cache } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import type { InventoryEntry } from '../inputs/node-inventory';
import { HOSTNAME_LABEL } from '../inputs/node-inventory';
import { DNS1123_SUBDOMAIN_MAX, dnsLabelProblem, LABEL_VALUE_MAX, labelValueProblem } from '../k8s/apiserver-rules';
import type { KObject } from '../krm/objects';
import { nameOf } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { error } from '../krm/report';
import type { Result } from '../krm/results';
import { downloadPvcName, downloadPvName, servingPvcName, servingPvName } from '../names/objects';
import type { CheckContext } from './context';
import { fnConfigPath } from './context';

const NAME_MAX = DNS1123_SUBDOMAIN_MAX;

export function nameResults(ctx: CheckContext): Result[] {
  return [...cacheLabels(ctx), ...volumeNames(ctx), ...nodeLabels(ctx), ...jobNamespace(ctx)];
}

/** error: the download Job carries the cache's name as its `model` label; the API server would refuse it. */
function cacheLabels({ inputs }: CheckContext): Result[] {
  const results: Result[] = [];
  for (const cache of inputs.caches) {
    const problem = labelValueProblem(cache.name);
    if (problem) {
      results.push(
        error(
          cache.object,
          'metadata.name',
          `${problem}; the name becomes the "model" label of its download Jobs (KServe's as well as ours), so they would be rejected. Use a name of at most ${LABEL_VALUE_MAX} characters`,
        ),
      );
    }
  }
  return results;
}

/** error: a PersistentVolume or claim name over 253 characters is refused by the API server. */
function volumeNames({ inputs, fnConfig, sound }: CheckContext): Result[] {
  const names = new Map<Cache, Set<string>>();
  const add = (cache: Cache, ...made: string[]) => {
    const set = names.get(cache) ?? new Set<string>();
    for (const n of made) set.add(n);
    names.set(cache, set);
  };
  for (const cache of inputs.caches) {
    for (const group of cache.spec.nodeGroups) add(cache, downloadPvName(cache, group), downloadPvcName(cache, group));
  }
  for (const { use } of inputs.inferenceServices) {
    if (use)
      add(
        use.cache,
        servingPvName(use.cache, use.nodeGroupName, use.namespace),
        servingPvcName(use.cache, use.nodeGroupName),
      );
  }
  for (const entry of fnConfig.servingNamespaces) {
    const cache = inputs.caches.find((c) => c.kind === 'LocalModelCache' && c.name === entry.cache);
    const group = entry.nodeGroup || cache?.spec.nodeGroups[0];
    if (cache && group) add(cache, servingPvName(cache, group, entry.namespace), servingPvcName(cache, group));
  }
  const results: Result[] = [];
  for (const [cache, made] of names) {
    if (!sound(cache.object)) continue;
    const longest = [...made].sort((a, b) => b.length - a.length || compareStrings(a, b))[0];
    if (longest.length > NAME_MAX) {
      results.push(
        error(
          cache.object,
          'metadata.name',
          `${describeCache(cache)} leads to the volume name "${longest.slice(0, 40)}..." of ${longest.length} characters, over the ${NAME_MAX} Kubernetes allows; KServe builds these names as <cache>-<node group>[-<namespace>][-download], so shorten the cache or node group name`,
        ),
      );
    }
  }
  return results;
}

/**
 * error: the Job's `node` label and `kubernetes.io/hostname` selector take the node's name and hostname.
 * Jobs mode only: a DaemonSet names no node, so in daemonset mode the inventory's names are never copied.
 */
function nodeLabels(ctx: CheckContext): Result[] {
  const { inputs, inventory, sound } = ctx;
  if (ctx.fnConfig.downloadMode === 'daemonset') return [];
  const used = new Set(inputs.caches.flatMap((c) => c.spec.nodeGroups));
  const inUsedGroup = new Set(
    [...inputs.nodeGroups]
      .filter(([name, g]) => used.has(name) && sound(g.object))
      .flatMap(([, g]) => ctx.groupNodes.get(g) ?? []),
  );
  const results: Result[] = [];
  for (const node of inventory) {
    if (!inUsedGroup.has(node)) continue;
    const nameProblem = labelValueProblem(node.name);
    if (nameProblem)
      results.push(
        nodeResult(
          ctx,
          node,
          'name',
          `node name "${node.name}" ${nameProblem}; it becomes the "node" label of the download Job there (as in KServe), which would be rejected`,
        ),
      );
    const hostnameProblem = node.hostname !== node.name ? labelValueProblem(node.hostname) : undefined;
    if (hostnameProblem)
      results.push(
        nodeResult(
          ctx,
          node,
          `labels[${HOSTNAME_LABEL}]`,
          `the ${HOSTNAME_LABEL} label "${node.hostname}" ${hostnameProblem}; the download Job selects its node by it`,
        ),
      );
  }
  return results;
}

/** The node's own object when it came from a Node in the input, else its entry in the function config. */
function nodeResult(ctx: CheckContext, node: InventoryEntry, field: string, message: string): Result {
  const object = ctx.inputs.nodes.find((n) => nameOf(n) === node.name);
  if (object) return error(object, field === 'name' ? 'metadata.name' : `metadata.${field}`, message);
  const index = ctx.fnConfig.nodes.findIndex((n) => n.name === node.name);
  const path = fnConfigPath(ctx, `nodes[${index}].${field}`);
  return ctx.fnConfigObject
    ? error(ctx.fnConfigObject, path, message)
    : { severity: 'error', message, field: { path } };
}

/** error: every download PVC and Job is created in this namespace. */
function jobNamespace({ inputs, config }: CheckContext): Result[] {
  const cm: KObject | undefined = inputs.kserveConfigMap;
  const ns = config.localModel.jobNamespace;
  if (!cm || !dnsLabelProblem(ns)) return [];
  return [
    error(
      cm,
      'data.localModel',
      `jobNamespace "${ns}" is not a valid namespace name (a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters); the download PVCs and Jobs are created there`,
    ),
  ];
}
