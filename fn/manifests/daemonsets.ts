// daemonset mode: the DaemonSet of one node group (and pod ServiceAccount). Its init containers are the
// download steps of its model folders, then the cleanup step; its one container only keeps the pod up.
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Container, NodeSelectorTerm, Toleration, Volume } from 'kubernetes-types/core/v1';
import type { ModelSteps } from './download-steps';
import { OUR_CONTAINER, podSecurityContext } from './pod-security';
import { stepScriptsVolume } from './step-scripts';

/** Selects the DaemonSet's pods; its value is the DaemonSet's name, so selectors never overlap. */
export const DAEMONSET_LABEL = 'fn.kserve-localmodel.dev/daemonset';
export const IDLE_CONTAINER_NAME = 'idle';

export interface DaemonSetStep {
  /** The download container, mounting `volumes[0]` (its cache's download PVC). */
  container: Container;
  /** The PVC volume first, then credential volumes. */
  volumes: Volume[];
  podLabels?: Record<string, string>;
  /** The trusted steps around the download container; undefined for KServe's plain form. */
  modelSteps?: ModelSteps;
}

export interface DaemonSetInput {
  name: string;
  namespace: string;
  /** The node group PV's required terms: validation guarantees they are there and well-formed. */
  nodeSelectorTerms: NodeSelectorTerm[];
  steps: DaemonSetStep[];
  cleanup?: Container;
  serviceAccountName?: string;
  fsGroup: number;
  tolerations: Toleration[];
  maxUnavailable: number | string;
  pauseImage: string;
  labels: Record<string, string>;
  /** Names the step-scripts ConfigMap (step-scripts.ts). */
  packageName?: string;
}

/** What every DaemonSet of ours is: pods on one node group's nodes, Pod Security "restricted". */
export interface NodeGroupPods {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Labels of the pods besides DAEMONSET_LABEL. */
  podLabels?: Record<string, string>;
  maxUnavailable: number | string;
  nodeSelectorTerms: NodeSelectorTerm[];
  serviceAccountName?: string;
  tolerations: Toleration[];
  fsGroup: number;
  initContainers?: Container[];
  containers: Container[];
  volumes: Volume[];
}

/** A DaemonSet selecting its pods by its own name, with no token mounted unless a container mounts one. */
export function nodeGroupDaemonSet(p: NodeGroupPods): DaemonSet {
  const selector = { [DAEMONSET_LABEL]: p.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: p.name, namespace: p.namespace, labels: { ...p.labels } },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: p.maxUnavailable } },
      template: {
        metadata: { labels: { ...p.podLabels, ...selector } },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: structuredClone(p.nodeSelectorTerms),
              },
            },
          },
          ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
          automountServiceAccountToken: false,
          ...(p.tolerations.length > 0 ? { tolerations: structuredClone(p.tolerations) } : {}),
          ...(p.initContainers ? { initContainers: p.initContainers } : {}),
          containers: p.containers,
          securityContext: podSecurityContext(p.fsGroup),
          volumes: p.volumes,
        },
      },
    },
  };
}

/** Pod volume names are per pod, and two steps may bring a volume of the same name: each gets its key. */
export function renameVolumes(container: Container, volumes: Volume[], suffix: string): DaemonSetStep {
  const renamed = new Map(volumes.map((v) => [v.name, `${v.name}-${suffix}`]));
  return {
    container: {
      ...container,
      volumeMounts: container.volumeMounts?.map((m) => ({ ...m, name: renamed.get(m.name) ?? m.name })),
    },
    volumes: volumes.map((v) => ({ ...v, name: renamed.get(v.name) ?? v.name })),
  };
}

export function daemonSet(input: DaemonSetInput): DaemonSet {
  const initContainers = [
    ...input.steps.flatMap((s) =>
      s.modelSteps ? [s.modelSteps.prepare, s.container, s.modelSteps.finalize] : [s.container],
    ),
    ...(input.cleanup ? [input.cleanup] : []),
  ];
  return nodeGroupDaemonSet({
    ...input,
    podLabels: Object.assign({}, ...input.steps.map((s) => s.podLabels ?? {})),
    initContainers,
    containers: [
      {
        name: IDLE_CONTAINER_NAME,
        image: input.pauseImage,
        resources: { requests: { cpu: '1m', memory: '8Mi' }, limits: { cpu: '10m', memory: '16Mi' } },
        securityContext: structuredClone(OUR_CONTAINER),
      },
    ],
    volumes: [...input.steps.flatMap((s) => s.volumes), ...stepScriptsVolume(initContainers, input.packageName)],
  });
}
