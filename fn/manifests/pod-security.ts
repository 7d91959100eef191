// Pod Security "restricted" for every generated pod (docs/node-steps.md, "Who may do what"): nothing
// these pods do needs a privilege, so none is granted, and a ClusterStorageContainer that asks for one
// is told so in a warning instead of weakening every pod.
import type { PodSecurityContext, SecurityContext } from 'kubernetes-types/core/v1';

/**
 * The storage-initializer image's USER (KServe's Dockerfile creates it as uid 1000), written out
 * because `runAsNonRoot` cannot check a name and the step and curl images' users are not 1000.
 */
export const POD_USER = 1000;

/** The pod's: non-root numeric user, the volume's group, RuntimeDefault seccomp. */
export function podSecurityContext(fsGroup: number): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: POD_USER,
    runAsGroup: POD_USER,
    fsGroup,
    // A large model folder is not walked on every pod start once its root has the group.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Every container of ours: the images we choose run read-only. */
export const OUR_CONTAINER: Readonly<SecurityContext> = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
};

/**
 * The download container: no escalation, no capabilities. Its root filesystem stays writable: the
 * storage initializer's Python libraries write caches under HOME and /tmp.
 */
const DOWNLOADER: Readonly<SecurityContext> = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** What "restricted" leaves a container free to choose (a non-root user, a read-only root, a profile). */
const KEPT = ['runAsUser', 'runAsGroup', 'readOnlyRootFilesystem', 'seccompProfile'] as const;

/**
 * The download container's securityContext from what its ClusterStorageContainer asks: the allowed
 * fields kept, the rest replaced, and the refused ones named (as `field: value`) for a warning.
 */
export function downloaderSecurityContext(asked: SecurityContext | undefined): {
  securityContext: SecurityContext;
  refused: string[];
} {
  const refused: string[] = [];
  const kept: SecurityContext = {};
  for (const [field, value] of Object.entries(asked ?? {}) as [keyof SecurityContext, unknown][]) {
    const allowed =
      (KEPT as readonly string[]).includes(field) &&
      !(field === 'runAsUser' && value === 0) &&
      !(field === 'seccompProfile' && (value as { type?: string })?.type === 'Unconfined');
    const harmless =
      (field === 'allowPrivilegeEscalation' && value === false) ||
      (field === 'runAsNonRoot' && value === true) ||
      (field === 'privileged' && value === false) ||
      (field === 'capabilities' && addsNothing(value));
    if (allowed) Object.assign(kept, { [field]: structuredClone(value) });
    else if (!harmless) refused.push(`${field}: ${JSON.stringify(value)}`);
  }
  return { securityContext: { ...kept, ...structuredClone(DOWNLOADER) }, refused };
}

const addsNothing = (capabilities: unknown): boolean => {
  const add = (capabilities as { add?: unknown[] } | undefined)?.add;
  return !Array.isArray(add) || add.length === 0;
};
