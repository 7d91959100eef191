// The node inventory: Node objects in the input (usually local-config) plus the function config's list.
import type { KObject } from '../krm/objects';
import { isPlainObject, nameOf } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { asStringField } from '../krm/yaml-scalars';
import type { NodeFacts } from '../kserve/node-affinity';
import { nodeMatchesTerms } from '../kserve/node-affinity';
import type { InventoryNode } from './fn-config';
import type { NodeGroup } from './index-inputs';

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export interface InventoryEntry extends NodeFacts {
  /** The value for the Job's `kubernetes.io/hostname` node selector: the Node's own label, else its name. */
  hostname: string;
}

export function nodeInventory(nodes: readonly KObject[], configured: readonly InventoryNode[]): InventoryEntry[] {
  const byName = new Map<string, InventoryEntry>();
  const add = (name: string, labels: Record<string, string>) => {
    if (!name) return;
    byName.set(name, { name, labels, hostname: labels[HOSTNAME_LABEL] || name });
  };
  for (const n of configured) add(n.name, stringLabels(n.labels));
  for (const n of nodes) add(nameOf(n), stringLabels(n.metadata?.labels));
  return [...byName.values()].sort((a, b) => compareStrings(a.name, b.name));
}

/** Label values are strings: an unquoted `true`, `4` or `1.10` reads as Kubernetes reads it into one. */
function stringLabels(labels: unknown): Record<string, string> {
  if (!isPlainObject(labels)) return {};
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, asStringField(v)]));
}

/** Each node group's nodes of the inventory, matched once: a fleet has dozens of caches per group. */
export const groupNodes = (
  nodeGroups: ReadonlyMap<string, NodeGroup>,
  inventory: readonly InventoryEntry[],
): ReadonlyMap<NodeGroup, readonly InventoryEntry[]> =>
  new Map(
    [...nodeGroups.values()].map((g) => [g, inventory.filter((node) => nodeMatchesTerms(node, g.nodeSelectorTerms))]),
  );
