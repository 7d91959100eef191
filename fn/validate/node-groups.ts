// Node groups as Kubernetes and KServe will meet them: a PersistentVolume the API server accepts and a
// claim that binds to it, nodes chosen by required node affinity, and nodes in the inventory to
// download to.

import type { NodeGroup } from '../inputs/index-inputs';
import { PERSISTENT_VOLUME_SOURCES } from '../k8s/apiserver-rules';
import { isPlainObject, listOf } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { error, warning } from '../krm/report';
import type { Result } from '../krm/results';
import type { CheckContext } from './context';

export function nodeGroupResults(ctx: CheckContext): Result[] {
  const results: Result[] = [];
  const used = new Set(ctx.inputs.caches.flatMap((c) => c.spec.nodeGroups));
  for (const [name, group] of [...ctx.inputs.nodeGroups].sort(([a], [b]) => compareStrings(a, b))) {
    if (!ctx.sound(group.object)) continue;
    results.push(...volumeSpecs(group));
    const selection = nodeSelection(group);
    results.push(...selection);
    // daemonset mode needs no inventory: the DaemonSet finds the group's nodes itself.
    if (selection.length === 0 && used.has(name) && ctx.fnConfig.downloadMode === 'jobs')
      results.push(...inventoryMatches(ctx, group));
  }
  return results;
}

/** error: the API server rejects the PersistentVolume, or its claim never binds; the models never land. */
function volumeSpecs(group: NodeGroup): Result[] {
  const results: Result[] = [];
  const pv = group.persistentVolumeSpec;
  const pvc = group.persistentVolumeClaimSpec;
  const sources = PERSISTENT_VOLUME_SOURCES.filter((s) => pv[s] !== undefined && pv[s] !== null);
  if (sources.length !== 1) {
    results.push(
      error(
        group.object,
        'spec.persistentVolumeSpec',
        sources.length === 0
          ? 'has no volume source; Kubernetes rejects a PersistentVolume without one. Add local: {path: /models} (or hostPath) with the host path the KServe node agent uses'
          : `has ${sources.length} volume sources (${sources.join(', ')}); a PersistentVolume takes exactly one, keep one`,
      ),
    );
  }
  const pvModes = listOf(pv.accessModes);
  if (pvModes.length === 0) {
    results.push(
      error(
        group.object,
        'spec.persistentVolumeSpec.accessModes',
        'is missing; Kubernetes rejects a PersistentVolume without access modes. Add accessModes: [ReadWriteOnce]',
      ),
    );
  }
  const pvcModes = listOf(pvc.accessModes);
  if (pvcModes.length === 0) {
    results.push(
      error(
        group.object,
        'spec.persistentVolumeClaimSpec.accessModes',
        'is missing; Kubernetes rejects a PersistentVolumeClaim without access modes. Add the same accessModes as the persistentVolumeSpec',
      ),
    );
  }
  const unsupported = pvcModes.filter((m) => pvModes.length > 0 && !pvModes.includes(m));
  if (unsupported.length > 0) {
    results.push(
      error(
        group.object,
        'spec.persistentVolumeClaimSpec.accessModes',
        `asks for ${unsupported.join(', ')}, which the persistentVolumeSpec does not offer (${pvModes.join(', ')}); the claims would never bind. Use the same access modes in both`,
      ),
    );
  }
  const pvClass = typeof pv.storageClassName === 'string' ? pv.storageClassName : '';
  const pvcClass = typeof pvc.storageClassName === 'string' ? pvc.storageClassName : undefined;
  if (pvcClass !== undefined && pvcClass !== pvClass) {
    results.push(
      error(
        group.object,
        'spec.persistentVolumeClaimSpec.storageClassName',
        `is "${pvcClass}" but the persistentVolumeSpec's is "${pvClass}"; a claim binds only to a volume of its own class, so the claims would stay Pending. Use the same storageClassName in both`,
      ),
    );
  } else if (pvcClass === undefined && pvClass !== '') {
    // warning: binds only if the cluster's default StorageClass happens to be the volume's class.
    results.push(
      warning(
        group.object,
        'spec.persistentVolumeClaimSpec.storageClassName',
        `is not set, so the cluster fills in its default StorageClass and the claims bind only if that is "${pvClass}"; set storageClassName: ${pvClass}`,
      ),
    );
  }
  return results;
}

/** error: without required node affinity (or with only empty terms) KServe places the group's models on no node. */
function nodeSelection(group: NodeGroup): Result[] {
  const terms = group.nodeSelectorTerms;
  const path = 'spec.persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms';
  if (!terms || terms.length === 0) {
    return [
      error(
        group.object,
        path,
        `is missing; KServe picks a node group's nodes by this required node affinity, so "${group.name}" would get no model on any node (and Kubernetes rejects a local PersistentVolume without it). Add a term such as matchExpressions: [{key: node.kubernetes.io/instance-type, operator: In, values: [...]}]`,
      ),
    ];
  }
  const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  const empty = terms.filter((t) => !isPlainObject(t) || count(t.matchExpressions) + count(t.matchFields) === 0);
  if (empty.length === terms.length) {
    return [
      error(
        group.object,
        path,
        'has only empty terms, and an empty term selects no node; give each term matchExpressions or matchFields',
      ),
    ];
  }
  return [];
}

/** warning: no Jobs for this group; the input may simply lack the inventory, which is legitimate. */
function inventoryMatches({ inventory, groupNodes }: CheckContext, group: NodeGroup): Result[] {
  if ((groupNodes.get(group) ?? []).length > 0) return [];
  const path = 'spec.persistentVolumeSpec.nodeAffinity';
  if (inventory.length === 0) {
    return [
      warning(
        group.object,
        path,
        `no download Job is generated for node group "${group.name}": the input has no node inventory. Add the nodes as Node objects (names and labels, e.g. from kubectl get nodes -o yaml) marked config.kubernetes.io/local-config: "true", or list them in the function config's nodes`,
      ),
    ];
  }
  return [
    warning(
      group.object,
      path,
      `matches none of the ${inventory.length} nodes in the inventory (${inventory
        .slice(0, 5)
        .map((n) => n.name)
        .join(
          ', ',
        )}${inventory.length > 5 ? ', ...' : ''}), so no download Job is generated for node group "${group.name}"; check the node affinity against the nodes' labels`,
    ),
  ];
}
