// PersistentVolumes and PersistentVolumeClaims from a node group's specs, as KServe's controller makes them.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { KObject } from '../krm/objects';
import { isPlainObject } from '../krm/objects';

const specOf = (nodeGroup: KObject, field: string): Record<string, unknown> => {
  const spec = isPlainObject(nodeGroup.spec) ? nodeGroup.spec : {};
  return isPlainObject(spec[field]) ? structuredClone(spec[field] as Record<string, unknown>) : {};
};

/** The group's `persistentVolumeSpec`, copied as is. */
export function persistentVolume(name: string, nodeGroup: KObject): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: specOf(nodeGroup, 'persistentVolumeSpec'),
  };
}

/** The group's `persistentVolumeClaimSpec`, bound to its PV by `volumeName`. */
export function persistentVolumeClaim(
  name: string,
  namespace: string,
  volumeName: string,
  nodeGroup: KObject,
): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: { ...specOf(nodeGroup, 'persistentVolumeClaimSpec'), volumeName },
  };
}
