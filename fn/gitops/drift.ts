// Node drift: the committed inventory against the live cluster (`render --nodes LIVE`), node group by
// node group. A Job is generated for each inventory node a group selects, pinned to that node, so:
// - a live node of the group missing from the inventory has no download Job, yet InferenceService pods
//   can be scheduled there (the serving volume's node affinity admits it) and find an empty model folder;
// - an inventory node that no longer exists, or whose labels no longer put it in the group, keeps a
//   download Job that stays Pending forever (no such node, or a volume node affinity conflict).
import { parseFnConfig } from '../inputs/fn-config';
import type { Inputs } from '../inputs/index-inputs';
import { indexInputs } from '../inputs/index-inputs';
import type { InventoryEntry } from '../inputs/node-inventory';
import { nodeInventory } from '../inputs/node-inventory';
import type { KObject } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { plural } from '../krm/wording';
import type { NodeFacts } from '../kserve/node-affinity';
import { nodeMatchesTerms } from '../kserve/node-affinity';

const LISTED = 10;

export function nodeDrift(inputs: Inputs, inventory: readonly InventoryEntry[], live: readonly NodeFacts[]): Result[] {
  const liveByName = new Map(live.map((n) => [n.name, n]));
  const used = new Set(inputs.caches.flatMap((c) => c.spec.nodeGroups));
  const results: Result[] = [];
  for (const [name, group] of [...inputs.nodeGroups].sort(([a], [b]) => compareStrings(a, b))) {
    if (!used.has(name)) continue;
    const terms = group.nodeSelectorTerms;
    const planned = inventory.filter((n) => nodeMatchesTerms(n, terms));
    const plannedNames = new Set(planned.map((n) => n.name));
    const unplanned = live.filter((n) => nodeMatchesTerms(n, terms) && !plannedNames.has(n.name));
    const gone = planned.filter((n) => !liveByName.has(n.name));
    const moved = planned.filter((n) => {
      const now = liveByName.get(n.name);
      return now !== undefined && !nodeMatchesTerms(now, terms);
    });
    if (unplanned.length > 0) {
      results.push(
        drift(
          group.object,
          `${count(unplanned)} of the cluster (${list(unplanned)}) ${unplanned.length === 1 ? 'is' : 'are'} in node group "${name}" but not in the inventory, so ${unplanned.length === 1 ? 'it has' : 'they have'} no download Job; InferenceService pods scheduled there find an empty model folder. Update the inventory: kubectl get nodes -o json | kserve-localmodel-fn inventory --for <package> > nodes.yaml`,
        ),
      );
    }
    if (gone.length > 0) {
      results.push(
        drift(
          group.object,
          `${count(gone)} of node group "${name}" in the inventory (${list(gone)}) no longer exist${gone.length === 1 ? 's' : ''} in the cluster; ${gone.length === 1 ? 'its' : 'their'} download Jobs would stay Pending forever. Remove ${gone.length === 1 ? 'it' : 'them'} from the inventory`,
        ),
      );
    }
    if (moved.length > 0) {
      results.push(
        drift(
          group.object,
          `${count(moved)} in the inventory (${list(moved)}) no longer ${moved.length === 1 ? 'has' : 'have'} the labels of node group "${name}" in the cluster; ${moved.length === 1 ? 'its' : 'their'} download Jobs would stay Pending (the volume's node affinity excludes the node). Update the inventory from the cluster`,
        ),
      );
    }
  }
  return results;
}

const count = (nodes: readonly NodeFacts[]): string => plural(nodes.length, 'node');

const list = (nodes: readonly NodeFacts[]): string =>
  nodes
    .slice(0, LISTED)
    .map((n) => n.name)
    .join(', ') + (nodes.length > LISTED ? `, and ${nodes.length - LISTED} more` : '');

const drift = (group: KObject, message: string): Result =>
  warning(group, 'spec.persistentVolumeSpec.nodeAffinity', `node drift: ${message}`);

/** The drift of a package's own inventory (Node objects and the function config's nodes) against the cluster. */
export function packageDrift(
  items: readonly KObject[],
  functionConfig: KObject | undefined,
  live: readonly NodeFacts[],
): Result[] {
  const inputs = indexInputs(items);
  const { nodes, downloadMode } = parseFnConfig(functionConfig ?? inputs.fnConfigItem).config;
  if (downloadMode === 'daemonset') return groupSizes(inputs, live);
  return nodeDrift(inputs, nodeInventory(inputs.nodes, nodes), live);
}

/** daemonset mode: the DaemonSet follows the cluster's nodes, so there is no drift; the sizes are a note. */
function groupSizes(inputs: Inputs, live: readonly NodeFacts[]): Result[] {
  const used = new Set(inputs.caches.flatMap((c) => c.spec.nodeGroups));
  return [...inputs.nodeGroups]
    .filter(([name]) => used.has(name))
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([name, group]) => {
      const size = live.filter((n) => nodeMatchesTerms(n, group.nodeSelectorTerms)).length;
      return info(
        group.object,
        'spec.persistentVolumeSpec.nodeAffinity',
        `node group "${name}" has ${plural(size, 'node')} in the cluster; in daemonset mode its DaemonSet runs a download pod on each of them, including nodes that join later`,
      );
    });
}
