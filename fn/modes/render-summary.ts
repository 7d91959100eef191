// The summary `render` prints on stderr: per node group, the models, nodes, download Jobs (or the
// DaemonSet and its fan-out) and disk this render puts there, so a reviewer sees what a change does without reading every manifest.
// It reads a render that passed validation: sizes are quantities and within storageLimit.

import { downloadPvcName } from '../build/names';
import { parseFnConfig } from '../inputs/fn-config';
import type { Cache } from '../inputs/index-inputs';
import { indexInputs } from '../inputs/index-inputs';
import { nodeInventory } from '../inputs/node-inventory';
import type { KObject } from '../krm/objects';
import { isPlainObject, labelOf, mapOf, nameOf } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { plural } from '../krm/wording';
import { nodeMatchesTerms } from '../kserve/node-affinity';
import { formatBytes, parseQuantity } from '../kserve/quantity';
import { storageKey } from '../kserve/storage-key';
import type { Plan } from '../plan';

export interface ModelSummary {
  /** `name` for a LocalModelCache, `namespace/name` for a LocalModelNamespaceCache. */
  cache: string;
  /** modelSize as written. */
  size: string;
  bytes: bigint;
  /** The cache listed first with the same model folder on this group: its disk space is counted once. */
  sharesFolderWith?: string;
}

export interface DaemonSetSummary {
  name: string;
  maxUnavailable: string;
}

export interface NodeGroupSummary {
  name: string;
  models: ModelSummary[];
  nodes: string[];
  jobs: number;
  /** daemonset mode: the group's DaemonSets, and how many nodes of the inventory (if any) it selects. */
  daemonSets: DaemonSetSummary[];
  inventoryNodes: number;
  /** Sum of modelSize over the group's distinct model folders: the disk each of its nodes needs. */
  usedBytes: bigint;
  storageLimit: string;
  limitBytes: bigint;
}

const JOB_NODE_LABEL = 'node';

/** One entry per LocalModelNodeGroup of the output items, by name. */
export function summarize(items: readonly KObject[]): NodeGroupSummary[] {
  const inputs = indexInputs(items);
  const generatedJobs = [...inputs.previousOutput].filter((o) => o.apiVersion === 'batch/v1' && o.kind === 'Job');
  const generatedDaemonSets = [...inputs.previousOutput].filter(
    (o) => o.apiVersion === 'apps/v1' && o.kind === 'DaemonSet',
  );
  const inventory = nodeInventory(inputs.nodes, parseFnConfig(inputs.fnConfigItem).config.nodes);
  const groups = [...inputs.nodeGroups.keys()].sort(compareStrings);

  const groupOfClaim = new Map<string, string>();
  for (const group of groups) {
    for (const cache of inputs.caches)
      if (cache.spec.nodeGroups.includes(group)) groupOfClaim.set(downloadPvcName(cache, group), group);
  }
  const byGroup = (workloads: readonly KObject[]) => {
    const of = new Map<string, KObject[]>(groups.map((g) => [g, []]));
    for (const workload of workloads) {
      const group = claimNames(workload)
        .map((c) => groupOfClaim.get(c))
        .find((g) => g !== undefined);
      if (group) of.get(group)?.push(workload);
    }
    return of;
  };
  const jobsOf = byGroup(generatedJobs);
  const daemonSetsOf = byGroup(generatedDaemonSets);

  return groups.map((name) => {
    const models: ModelSummary[] = [];
    const folders = new Map<string, string>();
    let usedBytes = 0n;
    for (const cache of inputs.caches.filter((c) => c.spec.nodeGroups.includes(name))) {
      const model = modelOf(cache);
      const folder = storageKey(cache.spec.sourceModelUri);
      const first = folders.get(folder);
      if (first !== undefined) model.sharesFolderWith = first;
      else {
        folders.set(folder, model.cache);
        usedBytes += model.bytes;
      }
      models.push(model);
    }
    const jobs = jobsOf.get(name) ?? [];
    const group = inputs.nodeGroups.get(name);
    const storageLimit = String(group?.storageLimit);
    const terms = group?.nodeSelectorTerms;
    return {
      name,
      models,
      nodes: [...new Set(jobs.map((j) => labelOf(j, JOB_NODE_LABEL) ?? ''))].filter(Boolean).sort(compareStrings),
      jobs: jobs.length,
      daemonSets: (daemonSetsOf.get(name) ?? []).map((ds) => ({
        name: nameOf(ds),
        maxUnavailable: String(maxUnavailableOf(ds)),
      })),
      inventoryNodes: inventory.filter((node) => nodeMatchesTerms(node, terms)).length,
      usedBytes,
      storageLimit,
      limitBytes: parseQuantity(storageLimit) ?? 0n,
    };
  });
}

function modelOf(cache: Cache): ModelSummary {
  const label = cache.namespace ? `${cache.namespace}/${cache.name}` : cache.name;
  const size = String(cache.spec.modelSize);
  return { cache: label, size, bytes: parseQuantity(size) ?? 0n };
}

function claimNames(job: KObject): string[] {
  const template = mapOf(mapOf(job.spec).template);
  const podSpec = mapOf(template.spec);
  const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
  return volumes.flatMap((v: unknown) => {
    const claim =
      isPlainObject(v) && isPlainObject(v.persistentVolumeClaim) ? v.persistentVolumeClaim.claimName : undefined;
    return typeof claim === 'string' ? [claim] : [];
  });
}

function maxUnavailableOf(ds: KObject): unknown {
  const spec = mapOf(ds.spec);
  const strategy = mapOf(spec.updateStrategy);
  return isPlainObject(strategy.rollingUpdate) ? strategy.rollingUpdate.maxUnavailable : undefined;
}

const LISTED_NODES = 10;
const GENERATED_KINDS = [
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Job',
  'DaemonSet',
  'ClusterRole',
  'ClusterRoleBinding',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
];

/** The text for stderr: a headline with the counts, then a few lines per node group. */
export function renderSummary(items: readonly KObject[], manifestCount: number, plan?: Plan): string {
  const generated = [...indexInputs(items).previousOutput];
  const byKind = GENERATED_KINDS.map((kind) => [kind, generated.filter((o) => o.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => plural(n, kind));
  const lines = [
    `summary: ${plural(manifestCount, 'manifest')} to apply, ${generated.length} generated${byKind.length > 0 ? ` (${byKind.join(', ')})` : ''}`,
  ];
  for (const group of summarize(items)) lines.push(...groupLines(group));
  if (plan) lines.push(...cacheLines(plan));
  return `${lines.join('\n')}\n`;
}

/** Per cache, the namespaces whose InferenceServices (or servingNamespaces entries) use it: none is a sign of a slip. */
function cacheLines(plan: Plan): string[] {
  const caches = [...new Set(plan.downloads.map((d) => d.cache))];
  if (caches.length === 0) return [];
  const served = caches.map((cache) => ({
    cache,
    namespaces: [...new Set(plan.served.filter((s) => s.cache === cache).map((s) => s.namespace))].sort(compareStrings),
  }));
  const unused = served.filter((s) => s.namespaces.length === 0).map((s) => cacheLabel(s.cache));
  return [
    'caches and the namespaces they serve:',
    ...served.filter((s) => s.namespaces.length > 0).map((s) => `  ${cacheLabel(s.cache)}: ${s.namespaces.join(', ')}`),
    ...(unused.length > 0
      ? [`  used by no InferenceService in the input (downloaded, not served): ${unused.join(', ')}`]
      : []),
  ];
}

const cacheLabel = (cache: Cache): string => (cache.namespace ? `${cache.namespace}/${cache.name}` : cache.name);

function groupLines(g: NodeGroupSummary): string[] {
  if (g.daemonSets.length > 0) return daemonSetLines(g);
  const head = `node group ${g.name}: ${plural(g.models.length, 'model')}, ${plural(g.nodes.length, 'node')}, ${plural(g.jobs, 'download Job')}, ${storageText(g)}`;
  const models = g.models.map(modelText);
  const shown = g.nodes.slice(0, LISTED_NODES).join(', ');
  const more = g.nodes.length > LISTED_NODES ? ` and ${g.nodes.length - LISTED_NODES} more` : '';
  const nodes =
    g.nodes.length > 0
      ? `${shown}${more}`
      : g.models.length > 0
        ? 'none: no node of the inventory matches this group, so nothing is downloaded'
        : 'none';
  return [head, `  models: ${models.length > 0 ? models.join(', ') : 'none'}`, `  nodes:  ${nodes}`];
}

/** daemonset mode: the nodes are whatever the group selects at run time; the inventory, if any, is a count. */
function daemonSetLines(g: NodeGroupSummary): string[] {
  const names = g.daemonSets.map((d) => d.name).join(', ');
  const rollouts = [...new Set(g.daemonSets.map((d) => d.maxUnavailable))].join(' or ');
  const known = g.inventoryNodes > 0 ? ` (${plural(g.inventoryNodes, 'node')} in the inventory)` : '';
  return [
    `node group ${g.name}: ${plural(g.models.length, 'model')}, DaemonSet${g.daemonSets.length === 1 ? '' : 's'} ${names}, ${storageText(g)}`,
    `  models: ${g.models.map(modelText).join(', ')}`,
    `  nodes:  every node the group selects, now and later${known}`,
    `  fan-out: a new DaemonSet downloads on all its nodes at once; each later change rolls out to ${rollouts} node${rollouts === '1' ? '' : 's'} at a time (maxUnavailable)`,
  ];
}

const modelText = (m: ModelSummary): string =>
  `${m.cache} ${m.size}${m.sharesFolderWith ? ` (same model folder as ${m.sharesFolderWith}, counted once)` : ''}`;

function storageText(g: NodeGroupSummary): string {
  const percent = g.limitBytes > 0n ? `${(g.usedBytes * 100n) / g.limitBytes}%` : '0%';
  return `storage ${formatBytes(g.usedBytes)} of ${g.storageLimit} storageLimit (${percent})`;
}
