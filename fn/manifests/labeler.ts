// serveOnlyWhenReady's labeler: a DaemonSet per package and node group, in both download modes, whose
// one container (fn/steps/node-label.sh) keeps this node's readiness labels of the group's caches
// right, round after round. It is the only pod that runs as the package's labeler ServiceAccount and
// the only one that mounts a token: the download pods hold no node rights at all. Why a pod of its
// own: a pod has one ServiceAccount, and a projected token is always the pod's own (docs/node-readiness.md).
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Container, NodeSelectorTerm, Toleration, Volume } from 'kubernetes-types/core/v1';
import { nodeGroupDaemonSet } from './daemonsets';
import { VOLUME_MOUNT_PATH } from './download-steps';
import { OUR_CONTAINER } from './pod-security';
import { runScript, stepScriptsMount, stepScriptsVolume } from './step-scripts';

/** Seconds between two rounds of the labeler: how long a wiped disk or a new URI may keep a label. */
export const LABEL_INTERVAL_SECONDS = 30;
export const LABELER_CONTAINER_NAME = 'node-label';

const MODELS_VOLUME = 'models';
const TOKEN_VOLUME = 'labeler-token';
/** Also written in fn/steps/node-label.sh. */
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * A short-lived token of the labeler's ServiceAccount, bound to its pod: the kubelet renews it, and
 * the API server puts the pod's node name in it, which the policy checks.
 */
export const labelerTokenVolume: Volume = {
  name: TOKEN_VOLUME,
  projected: {
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    ],
  },
};

/** One cache the labeler looks after: its tag (the label's cache part) and its current model folder. */
export interface LabelledCache {
  tag: string;
  storageKey: string;
}

export interface LabelerInput {
  name: string;
  namespace: string;
  /** Names the step-scripts ConfigMap (step-scripts.ts). */
  packageName?: string;
  serviceAccountName: string;
  /** The node group PV's required terms (validated, as for the download DaemonSets). */
  nodeSelectorTerms: NodeSelectorTerm[];
  tolerations: Toleration[];
  fsGroup: number;
  image: string;
  /** One of the group's download claims: all of them are the same host folder on a node. */
  claimName: string;
  packageTag: string;
  volumeTag: string;
  caches: readonly LabelledCache[];
  /** Tags of the package's caches on other groups of the same host folder: their labels are not this labeler's to remove. */
  keep: readonly string[];
  labels: Record<string, string>;
}

/** `<every> <package> <volume> <cache tag>=<storage key>... [--keep <cache tag>...]`: node-label.sh's args. */
export const labelerArgs = (input: Pick<LabelerInput, 'packageTag' | 'volumeTag' | 'caches' | 'keep'>): string[] => [
  String(LABEL_INTERVAL_SECONDS),
  input.packageTag,
  input.volumeTag,
  ...input.caches.map((c) => `${c.tag}=${c.storageKey}`),
  ...(input.keep.length > 0 ? ['--keep', ...input.keep] : []),
];

export function labelerDaemonSet(input: LabelerInput): DaemonSet {
  const container: Container = {
    name: LABELER_CONTAINER_NAME,
    image: input.image,
    command: runScript('node-label.sh'),
    args: labelerArgs(input),
    env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
    resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    securityContext: structuredClone(OUR_CONTAINER),
    volumeMounts: [
      { name: MODELS_VOLUME, mountPath: VOLUME_MOUNT_PATH, readOnly: true },
      { name: TOKEN_VOLUME, mountPath: TOKEN_MOUNT_PATH, readOnly: true },
      stepScriptsMount,
    ],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  return nodeGroupDaemonSet({
    ...input,
    // A label outlives its labeler's pod, so every node may take a new one at once: a URI bump then
    // reaches every node's labeler within one pod start.
    maxUnavailable: '100%',
    containers: [container],
    volumes: [
      { name: MODELS_VOLUME, persistentVolumeClaim: { claimName: input.claimName, readOnly: true } },
      labelerTokenVolume,
      ...stepScriptsVolume([container], input.packageName),
    ],
  });
}
