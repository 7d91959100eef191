// Names of generated objects. PV and PVC names are KServe's plain concatenations, because KServe's
// webhooks look them up by name (docs/kserve-rules.md, "Names of the volumes"). Job names are ours: fixed and hashed.
import { createHash } from 'node:crypto';
import type { Cache } from '../inputs/index-inputs';

export const downloadPvName = (c: Cache, nodeGroupName: string): string =>
  c.namespace ? `${c.name}-${nodeGroupName}-${c.namespace}-download` : `${c.name}-${nodeGroupName}-download`;

export const downloadPvcName = (c: Cache, nodeGroupName: string): string =>
  c.namespace ? `${c.name}-${nodeGroupName}-${c.namespace}-download` : `${c.name}-${nodeGroupName}`;

export const servingPvName = (c: Cache, nodeGroupName: string, isvcNamespace: string): string =>
  c.namespace ? `${c.name}-${nodeGroupName}-${c.namespace}` : `${c.name}-${nodeGroupName}-${isvcNamespace}`;

export const servingPvcName = (c: Cache, nodeGroupName: string): string => `${c.name}-${nodeGroupName}`;

export const DNS1123_LABEL_MAX = 63;
const HASH_LENGTH = 10;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `<packageName>-`, or nothing for a package without one (docs/node-readiness.md, "Many packages on one cluster"). */
export const packagePart = (packageName: string | undefined): string => (packageName ? `${packageName}-` : '');

/**
 * `localmodel-[<package>-]<group>`, or `…-as-<serviceAccount>` for caches whose pods run as one: a
 * function of the package, group and ServiceAccount only, so adding or removing caches never renames it.
 */
export const daemonSetName = (nodeGroupName: string, serviceAccountName?: string, packageName?: string): string =>
  fitted(
    `localmodel-${packagePart(packageName)}${nodeGroupName}${serviceAccountName ? `-as-${serviceAccountName}` : ''}`,
    [nodeGroupName, serviceAccountName ?? '', ...(packageName ? [packageName] : [])],
  );

/** serveOnlyWhenReady: `labeler-[<package>-]<group>`, the labeler DaemonSet of one package on one node group. */
export const labelerName = (nodeGroupName: string, packageName?: string): string =>
  fitted(`labeler-${packagePart(packageName)}${nodeGroupName}`, ['labeler', packageName ?? '', nodeGroupName]);

/**
 * `readable` when it is a DNS-1123 label of at most 63 characters; otherwise its start with a hash of
 * `parts` in place of the tail.
 */
function fitted(readable: string, parts: readonly string[]): string {
  if (readable.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(readable)) return readable;
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, HASH_LENGTH);
  const base = readable
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, DNS1123_LABEL_MAX - HASH_LENGTH - 1)
    .replace(/-+$/, '');
  return `${base}-${hash}`;
}

/**
 * `<cache>-<node>-<hash>`: a valid DNS-1123 label of at most 63 characters. The hash covers the whole
 * Job, so a changed Job gets a new name instead of an (illegal) in-place update of an immutable one.
 */
export function jobName(cacheName: string, nodeName: string, fingerprint: string): string {
  const hash = createHash('sha256').update(fingerprint).digest('hex').slice(0, HASH_LENGTH);
  const base = `${cacheName}-${nodeName}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, DNS1123_LABEL_MAX - HASH_LENGTH - 1)
    .replace(/^-+|-+$/g, '');
  return base ? `${base}-${hash}` : `job-${hash}`;
}
