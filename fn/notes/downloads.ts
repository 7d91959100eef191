// What a person must know about the download pods that the objects themselves cannot say: an image
// that moves under a `latest` tag, a host folder the pods cannot write, copies taken over unverified,
// caches that share a model folder but not their credentials.

import type { FnConfig } from '../inputs/fn-config';
import type { Cache, Inputs, NodeGroup } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import { FALLBACK_IMAGE } from '../inputs/kserve-config';
import { isPlainObject } from '../krm/objects';
import { info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { isDownloadJobContainer } from '../kserve/storage-container';
import { POD_USER } from '../manifests/pod-security';
import type { Plan } from '../plan/types';

/** `repo`, `repo:latest`, `host:5000/repo:latest`; never one pinned by digest. */
export function isLatest(image: string): boolean {
  if (image.includes('@')) return false;
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  return colon < 0 || name.slice(colon + 1) === 'latest';
}

const LATEST =
  'runs whatever image the tag names on the day a node pulls it, so two nodes may download with different code; pin a version (or a digest)';

/** Images from KServe's config stay as written; a moving `latest` among them is pointed out. */
export function latestImageNotes(inputs: Inputs, config: KServeConfig, plan: Plan): Result[] {
  if (plan.downloads.length === 0) return [];
  const notes: Result[] = [];
  const cm = inputs.kserveConfigMap;
  const { image } = config.storageInitializer;
  // KServe's own fallback, when the ConfigMap names no image, is reported with the missing ConfigMap.
  if (cm && image !== FALLBACK_IMAGE && isLatest(image))
    notes.push(
      warning(cm, 'data.storageInitializer', `storageInitializer.image ${config.storageInitializer.image} ${LATEST}`),
    );
  for (const csc of inputs.storageContainers) {
    const written = csc.container.image;
    if (isDownloadJobContainer(csc) && typeof written === 'string' && isLatest(written))
      notes.push(warning(csc.object, 'spec.container.image', `${written} ${LATEST}`));
  }
  return notes;
}

/** The folder a `local` or `hostPath` group's volume names on each node. */
const hostFolder = (g: NodeGroup, source: 'local' | 'hostPath'): string | undefined => {
  const v = g.persistentVolumeSpec[source];
  return isPlainObject(v) && typeof v.path === 'string' ? v.path : undefined;
};

/**
 * The kubelet gives a `local` volume the pod's fsGroup, but never a `hostPath` one: there the folder
 * must already be writable by the pods' user (docs/security.md, "Node preparation").
 */
export function nodePreparationNotes(plan: Plan, config: KServeConfig): Result[] {
  const groups = new Set(plan.downloads.map((d) => d.nodeGroup));
  const { fsGroup } = config.localModel;
  return [...groups].flatMap((g) => {
    const path = hostFolder(g, 'hostPath');
    if (path === undefined) return [];
    return [
      warning(
        g.object,
        'spec.persistentVolumeSpec.hostPath',
        `the kubelet does not give a hostPath volume the pods' fsGroup, so the download steps (user ${POD_USER}) cannot write into ${path} while root owns it. On every node of the group, before the first download: mkdir -p ${path} && chown ${POD_USER}:${fsGroup} ${path} && chmod 2775 ${path}; or use a local volume, which the kubelet prepares`,
      ),
    ];
  });
}

/** adoptExistingCopies trusts a folder it cannot check: said once, when a download may meet one. */
export function adoptionNotes(plan: Plan, fnConfig: FnConfig): Result[] {
  if (!fnConfig.adoptExistingCopies || !fnConfig.atomicDownloads || plan.downloads.length === 0) return [];
  return [
    {
      severity: 'warning',
      message:
        "adoptExistingCopies: on a node where models/<storage key> is a non-empty folder without a completion marker (a copy KServe's node agent made), it is marked complete as it is, never moved or deleted, and whether it is complete is not verified. Delete such a folder on a node to have it downloaded again, and turn the setting off once the move from KServe's agent is done",
    },
  ];
}

/**
 * Caches that share a model folder download it once, with the first one's credentials; the others' own
 * credentials are not used where they meet, in either download mode.
 */
export function sharedFolderNotes(plan: Plan): Result[] {
  const notes: Result[] = [];
  const sharers = new Set<Cache>();
  for (const job of plan.jobs) {
    notes.push(...otherCredentials(job.caches));
    for (const other of job.caches.slice(1)) {
      if (sharers.has(other)) continue;
      sharers.add(other);
      notes.push(agentNote(job.caches[0], other));
    }
  }
  for (const ds of plan.daemonSets)
    for (const step of ds.steps)
      notes.push(...otherCredentials([step.owner, ...step.caches.filter((c) => c !== step.owner)]));
  return notes;
}

function otherCredentials(caches: readonly Cache[]): Result[] {
  const [owner, ...others] = caches;
  return others
    .filter((other) => credentialShape(other) !== credentialShape(owner))
    .map((other) =>
      warning(
        other.object,
        'spec',
        `${describeCache(other)} caches the same model as ${describeCache(owner)} with other credentials; where both are on one node, one Job downloads it, with ${describeCache(owner)}'s credentials. Give both caches the same serviceAccountName and storage`,
      ),
    );
}

/**
 * KServe's node agent looks up, for a model folder, only the Job of the first cache its LocalModelNode
 * lists, in the order its manager first reconciled the caches (docs/kserve-rules.md, "KServe's agent").
 */
function agentNote(owner: Cache, other: Cache): Result {
  return info(
    other.object,
    'spec.sourceModelUri',
    `${describeCache(other)} shares its model folder with ${describeCache(owner)}, so the download Jobs are labelled model: ${owner.name} only. If KServe's node agent runs too and its LocalModelNode lists ${describeCache(other)} first (it was reconciled first, usually because it was created first), the agent finds no Job with its labels and starts a second download into the same folder. Create ${describeCache(owner)} first, or keep one cache for this model`,
  );
}

const credentialShape = (c: Cache): string => JSON.stringify([c.spec.serviceAccountName ?? '', c.spec.storage ?? null]);
