// What a person must know about the download pods that the objects themselves cannot say: an image
// that moves under a `latest` tag, a host folder the pods cannot write, copies taken over unverified.

import type { FnConfig } from '../inputs/fn-config';
import type { Inputs, NodeGroup } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import { FALLBACK_IMAGE } from '../inputs/kserve-config';
import { isPlainObject } from '../krm/objects';
import { warning } from '../krm/report';
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
