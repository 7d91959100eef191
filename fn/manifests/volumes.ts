// PersistentVolumes and PersistentVolumeClaims from a node group's specs, as KServe's controller makes them.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { NodeGroup } from '../inputs/index-inputs';

/** The group's `persistentVolumeSpec`, copied as is. */
export function persistentVolume(name: string, nodeGroup: NodeGroup): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: structuredClone(nodeGroup.persistentVolumeSpec),
  };
}

/** The group's `persistentVolumeClaimSpec`, bound to its PV by `volumeName`. */
export function persistentVolumeClaim(
  name: string,
  namespace: string,
  volumeName: string,
  nodeGroup: NodeGroup,
): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: { ...structuredClone(nodeGroup.persistentVolumeClaimSpec), volumeName },
  };
}
