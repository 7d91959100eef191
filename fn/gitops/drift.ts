// Node drift: the committed inventory against the live cluster (`render --nodes LIVE`), node group by
// node group. A Job is generated for each inventory node a group selects, pinned to that node, so:
// - a live node of the group missing from the inventory has no download Job, yet InferenceService pods
//   can be scheduled there (the serving volume's node affinity admits it) and find an empty model folder;
// - an inventory node that no longer exists, or whose labels no longer put it in the group, keeps a
//   download Job that stays Pending forever (no such node, or a volume node affinity conflict).
import type { FnConfig } from '../inputs/fn-config';
import type { NodeGroup } from '../inputs/index-inputs';
import type { KObject } from '../krm/objects';
import { info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { plural } from '../krm/wording';
import type { NodeFacts } from '../kserve/node-affinity';
import { nodeMatchesTerms } from '../kserve/node-affinity';
import type { Plan } from '../plan/types';

const LISTED = 10;

/** The drift of the plan's inventory (the package's Node objects and function config nodes) against the cluster. */
export function nodeDrift(plan: Plan, fnConfig: FnConfig, live: readonly NodeFacts[]): Result[] {
  if (fnConfig.downloadMode === 'daemonset') return groupSizes(usedGroups(plan), live);
  const liveByName = new Map(live.map((n) => [n.name, n]));
  const results: Result[] = [];
  for (const group of usedGroups(plan)) {
    const { name } = group;
    const terms = group.nodeSelectorTerms;
    const planned = plan.groupNodes.get(group) ?? [];
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

/** The node groups that hold a cache, by name. */
const usedGroups = (plan: Plan): NodeGroup[] =>
  plan.nodeGroups.filter((group) => plan.downloads.some((d) => d.nodeGroup === group));

/** daemonset mode: the DaemonSet follows the cluster's nodes, so there is no drift; the sizes are a note. */
function groupSizes(groups: readonly NodeGroup[], live: readonly NodeFacts[]): Result[] {
  return groups.map((group) => {
    const size = live.filter((n) => nodeMatchesTerms(n, group.nodeSelectorTerms)).length;
    return info(
      group.object,
      'spec.persistentVolumeSpec.nodeAffinity',
      `node group "${group.name}" has ${plural(size, 'node')} in the cluster; in daemonset mode its DaemonSet runs a download pod on each of them, including nodes that join later`,
    );
  });
}
