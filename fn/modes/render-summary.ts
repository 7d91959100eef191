// The summary `render` prints on stderr: per node group, the models, nodes, download Jobs (or the
// DaemonSet and its fan-out) and disk this render puts there, so a reviewer sees what a change does
// without reading every manifest. It reads the plan of a render that passed validation: sizes are
// quantities and within storageLimit.

import { GENERATED_KIND_ORDER } from '../assemble';
import type { CompileOutput } from '../compile';
import type { FnConfig } from '../inputs/fn-config';
import type { Cache } from '../inputs/index-inputs';
import { formatBytes, parseQuantity } from '../k8s/quantity';
import { compareStrings } from '../krm/order';
import { noun, plural } from '../krm/wording';
import { daemonSetName } from '../names/objects';
import type { Plan } from '../plan/types';
import { diskUse, modelFolders } from '../validate/capacity';

/** What the summary reads: a successful compile's plan, what it generated, and the config it ran with. */
export type Compiled = Required<Pick<CompileOutput, 'plan' | 'generated' | 'fnConfig'>>;

export interface ModelSummary {
  /** `name` for a LocalModelCache, `namespace/name` for a LocalModelNamespaceCache. */
  cache: string;
  /** modelSize as written. */
  size: string;
  bytes: bigint;
  /** The first cache with the same model folder on this group: the folder is counted once, at its largest size. */
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
  /** The disk each of its nodes needs, as capacity validation counts it (validate/capacity.ts). */
  usedBytes: bigint;
  storageLimit: string;
  limitBytes: bigint;
}

/** One entry per LocalModelNodeGroup of the input, by name. */
export function summarize(plan: Plan, fnConfig: FnConfig): NodeGroupSummary[] {
  return plan.nodeGroups.map((group) => {
    const caches = plan.downloads.filter((d) => d.nodeGroup === group).map((d) => d.cache);
    const folders = modelFolders(caches, sizeOf);
    const models = caches.map((cache): ModelSummary => {
      const first = folders.find((f) => f.caches.includes(cache))?.caches[0];
      const size = String(cache.spec.modelSize);
      return {
        cache: cacheLabel(cache),
        size,
        bytes: sizeOf(cache),
        ...(first && first !== cache ? { sharesFolderWith: cacheLabel(first) } : {}),
      };
    });
    const jobs = plan.jobs.filter((j) => j.nodeGroups.includes(group));
    const storageLimit = String(group.storageLimit);
    return {
      name: group.name,
      models,
      nodes: [...new Set(jobs.map((j) => j.node.name))].sort(compareStrings),
      jobs: jobs.length,
      daemonSets: plan.daemonSets
        .filter((ds) => ds.nodeGroup === group)
        .map((ds) => ({
          name: daemonSetName(group.name, ds.serviceAccountName, fnConfig.packageName),
          maxUnavailable: String(fnConfig.maxUnavailable),
        }))
        .sort((a, b) => compareStrings(a.name, b.name)), // the output's order: a long name is hashed
      inventoryNodes: (plan.groupNodes.get(group) ?? []).length,
      usedBytes: diskUse(folders),
      storageLimit,
      limitBytes: parseQuantity(storageLimit) ?? 0n,
    };
  });
}

/** Validation has passed: every modelSize is a positive quantity. */
const sizeOf = (cache: Cache): bigint => parseQuantity(String(cache.spec.modelSize)) ?? 0n;

const LISTED_NODES = 10;

/** The text for stderr: a headline with the counts, then a few lines per node group and per cache. */
export function renderSummary({ plan, generated, fnConfig }: Compiled, manifestCount: number): string {
  const byKind = GENERATED_KIND_ORDER.map((kind) => [kind, generated.filter((o) => o.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => plural(n, kind));
  const lines = [
    `summary: ${plural(manifestCount, 'manifest')} to apply, ${generated.length} generated${byKind.length > 0 ? ` (${byKind.join(', ')})` : ''}`,
  ];
  for (const group of summarize(plan, fnConfig)) lines.push(...groupLines(group));
  lines.push(...cacheLines(plan));
  return `${lines.join('\n')}\n`;
}

/**
 * Per cache, the namespaces whose InferenceServices (or servingNamespaces entries) use it: none is a
 * sign of a slip.
 */
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
    `node group ${g.name}: ${plural(g.models.length, 'model')}, ${noun(g.daemonSets.length, 'DaemonSet')} ${names}, ${storageText(g)}`,
    `  models: ${g.models.map(modelText).join(', ')}`,
    `  nodes:  every node the group selects, now and later${known}`,
    `  fan-out: a new DaemonSet downloads on all its nodes at once; each later change rolls out to ${rollouts} ${noun(rollouts === '1' ? 1 : 2, 'node')} at a time (maxUnavailable)`,
  ];
}

const modelText = (m: ModelSummary): string =>
  `${m.cache} ${m.size}${m.sharesFolderWith ? ` (same model folder as ${m.sharesFolderWith}, counted once, at the largest size)` : ''}`;

function storageText(g: NodeGroupSummary): string {
  const percent = g.limitBytes > 0n ? `${(g.usedBytes * 100n) / g.limitBytes}%` : '0%';
  return `storage ${formatBytes(g.usedBytes)} of ${g.storageLimit} storageLimit (${percent})`;
}
