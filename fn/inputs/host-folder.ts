// Which folder on a node a node group's volume is, so that two spellings of one folder are one volume:
// read once, into NodeGroup.volume (index-inputs.ts). Jobs are planned per volume (plan/jobs.ts), the
// cleanup keeps every key of a volume (plan/daemonsets.ts), capacity is checked per folder
// (validate/capacity.ts), and the readiness label names the volume (manifests/node-readiness.ts).
import { canonicalJson } from '../krm/canonical';
import { isPlainObject } from '../krm/objects';

/**
 * Which folder on a node a group's PersistentVolume is: the host path of a `local` or `hostPath` volume
 * as the kernel resolves it (hostFolder), else the volume source in canonical form. Groups with the
 * same identity share `models/` on a node that is in both: one download fills it for both, and the
 * cleanup of one keeps the other's folders (on every node: a superset, never less).
 */
export function volumeIdentity(pv: Readonly<Record<string, unknown>>): string {
  for (const source of ['local', 'hostPath']) {
    const v = pv[source];
    if (isPlainObject(v) && typeof v.path === 'string') return `path:${hostFolder(v.path)}`;
  }
  const volumeSource = Object.fromEntries(Object.entries(pv).filter(([field]) => !NOT_THE_SOURCE.has(field)));
  return `source:${canonicalJson(volumeSource)}`;
}

/**
 * `/mnt//models/./` and `/mnt/models` are one folder: repeated slashes, `.` segments and a trailing
 * slash are dropped. `..` never reaches here (the API server refuses it in a host path, and so does
 * validate/generated-values.ts), so no segment can climb.
 */
export const hostFolder = (path: string): string =>
  `/${path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/')}`;

const NOT_THE_SOURCE = new Set([
  'capacity',
  'accessModes',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'mountOptions',
  'nodeAffinity',
  'volumeMode',
  'claimRef',
]);
