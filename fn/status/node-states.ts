// `status`, the pure part: the compile's plan and rendered workloads, and the cluster's state, in; per
// cache, node group and node, where the download stands, out. No clock: durations are differences of
// timestamps in the dump, so the same dump always gives the same report.

import type { CompileOutput } from '../compile';
import type { Cache, NodeGroup } from '../inputs/index-inputs';
import type { KObject } from '../krm/objects';
import { listOf, mapOf, nameOf, namespaceOf } from '../krm/objects';
import { compareStrings, compositeKey } from '../krm/order';
import { nodeMatchesTerms } from '../kserve/node-affinity';
import { LABEL_INTERVAL_SECONDS } from '../manifests/labeler';
import type { DaemonSetPlan, JobPlan } from '../plan/types';
import type { ClusterState, ContainerState, LiveNode, Termination } from './cluster-state';
import {
  containerOrder,
  containerStates,
  newestPod,
  podNode,
  schedulingProblem,
  secondsBetween,
  tolerates,
  trueCondition,
} from './cluster-state';
import {
  checkRenderedStep,
  daemonSetStepName,
  daemonSetSteps,
  isLabelledReady,
  isPodOfDaemonSet,
  isPodOfJob,
  modelStepNames,
  planDaemonSetName,
  planJobKey,
  readinessOf,
  renderedJobs,
  sameJobLabels,
} from './pod-layout';

export type Compiled = Required<Pick<CompileOutput, 'plan' | 'generated' | 'fnConfig'>>;

export type DownloadState = 'complete' | 'downloading' | 'failed' | 'pending' | 'missing' | 'left';

export interface NodeStatus {
  node: string;
  state: DownloadState;
  /** The Job or DaemonSet that downloads here, and its pod on this node when there is one. */
  workload?: string;
  pod?: string;
  /** downloading: the container that runs now, and since when (a timestamp of the dump). */
  step?: string;
  since?: string;
  /** complete: how long the download took, when the dump says. */
  seconds?: number;
  /** complete, with serveOnlyWhenReady: whether the node carries the ready label. */
  ready?: boolean;
  /** failed, pending, missing, left, or a complete copy not labelled ready: why, and what to do. */
  reason?: string;
  /** Something a person must do: a failure, a missing workload, a pod that cannot be scheduled. */
  attention: boolean;
}

export interface GroupStatus {
  nodeGroup: string;
  nodes: NodeStatus[];
}

export interface CacheStatus {
  kind: Cache['kind'];
  namespace?: string;
  name: string;
  sourceModelUri: string;
  storageKey: string;
  nodeGroups: GroupStatus[];
  /** Nodes where the copy is complete (and labelled ready where it must be), of the nodes that should have it. */
  complete: number;
  total: number;
}

export interface StatusReport {
  downloadMode: 'jobs' | 'daemonset';
  caches: CacheStatus[];
  /** Every cache complete on every node it should be on. */
  complete: boolean;
  /** Some node needs a person (see NodeStatus.attention). */
  attention: boolean;
}

/** A node's status counts as complete: the copy is there and, where serveOnlyWhenReady, labelled. */
export const isComplete = (s: NodeStatus): boolean => s.state === 'complete' && s.ready !== false;

export function downloadStatus(compiled: Compiled, cluster: ClusterState): StatusReport {
  const { plan, fnConfig } = compiled;
  const sections = new Map<string, NodeStatus[]>();
  const sectionOf = (cache: Cache, nodeGroup: string): NodeStatus[] => {
    const id = compositeKey(cache.kind, cache.namespace, cache.name, nodeGroup);
    let nodes = sections.get(id);
    if (!nodes) {
      nodes = [];
      sections.set(id, nodes);
    }
    return nodes;
  };
  for (const d of plan.downloads) sectionOf(d.cache, d.nodeGroup.name);
  // serveOnlyWhenReady: the label of each cache on a group, which the labeler of the package sets.
  const readiness = (rendered: KObject, cache: Cache, nodeGroup: NodeGroup): Readiness | undefined =>
    fnConfig.serveOnlyWhenReady
      ? readinessOf(namespaceOf(rendered), fnConfig.packageName, cache, nodeGroup)
      : undefined;
  if (fnConfig.downloadMode === 'daemonset') {
    for (const ds of plan.daemonSets) {
      const name = planDaemonSetName(ds, fnConfig.packageName);
      const rendered = compiled.generated.find((o) => o.kind === 'DaemonSet' && nameOf(o) === name);
      if (!rendered) throw new Error(`no rendered DaemonSet ${name}`);
      for (const step of ds.steps) {
        checkRenderedStep(rendered, step.storageKey);
        for (const cache of step.caches) {
          const nodes = daemonSetStepStatus(
            ds,
            rendered,
            step.storageKey,
            cluster,
            readiness(rendered, cache, ds.nodeGroup),
          );
          sectionOf(cache, ds.nodeGroup.name).push(...nodes);
        }
      }
    }
  } else {
    const jobs = renderedJobs(compiled.generated);
    const placed = new Set<string>();
    for (const job of plan.jobs) {
      const rendered = jobs.get(planJobKey(job));
      if (!rendered) throw new Error(`no rendered Job for ${job.caches[0].name} on ${job.node.name}`);
      for (const cache of job.caches) {
        placed.add(compositeKey(cache.kind, cache.namespace, cache.name, job.node.name));
        const status = jobStatus(job, rendered, cluster, readiness(rendered, cache, job.nodeGroup));
        sectionOf(cache, groupOfJob(cache, job)).push(status);
      }
    }
    // A node of a group in the cluster but not in the inventory of the render: no Job reaches it.
    for (const { cache, nodeGroup } of plan.downloads) {
      for (const node of selectedNodes(nodeGroup, cluster)) {
        const id = compositeKey(cache.kind, cache.namespace, cache.name, node.name);
        if (placed.has(id)) continue;
        placed.add(id);
        sectionOf(cache, nodeGroup.name).push({
          node: node.name,
          state: 'missing',
          reason:
            'no Job reaches this node: it is not in the node inventory of this render (it joined the cluster since?). Add it to the inventory (kserve-localmodel-fn inventory --for DIR) and render again',
          attention: true,
        });
      }
    }
  }

  const caches = plan.downloads
    .map((d) => d.cache)
    .filter((c, i, all) => all.indexOf(c) === i)
    .map((cache): CacheStatus => {
      const nodeGroups = cache.spec.nodeGroups
        .filter((g) => sections.has(compositeKey(cache.kind, cache.namespace, cache.name, g)))
        .map((g) => ({
          nodeGroup: g,
          nodes: sectionOf(cache, g).sort((a, b) => compareStrings(a.node, b.node)),
        }));
      const counted = nodeGroups.flatMap((g) => g.nodes).filter((n) => n.state !== 'left');
      return {
        kind: cache.kind,
        ...(cache.namespace ? { namespace: cache.namespace } : {}),
        name: cache.name,
        sourceModelUri: cache.spec.sourceModelUri,
        storageKey: cache.storageKey,
        nodeGroups,
        complete: counted.filter(isComplete).length,
        total: counted.length,
      };
    })
    .sort(
      (a, b) =>
        compareStrings(a.namespace ?? '', b.namespace ?? '') ||
        compareStrings(a.name, b.name) ||
        compareStrings(a.kind, b.kind),
    );
  const all = caches.flatMap((c) => c.nodeGroups.flatMap((g) => g.nodes));
  return {
    downloadMode: fnConfig.downloadMode,
    caches,
    complete: caches.every((c) => c.complete === c.total),
    // A cache that no node of the cluster can hold is complete nowhere, however vacuously.
    attention: all.some((n) => n.attention) || caches.some((c) => c.total === 0),
  };
}

/** A Job downloads for each of its caches; it is shown under that cache's group on the node. */
function groupOfJob(cache: Cache, job: JobPlan): string {
  if (cache.spec.nodeGroups.includes(job.nodeGroup.name)) return job.nodeGroup.name;
  return cache.spec.nodeGroups[0];
}

const selectedNodes = (nodeGroup: NodeGroup, cluster: ClusterState): LiveNode[] =>
  [...cluster.nodes.values()].filter((n) => nodeMatchesTerms(n, nodeGroup.nodeSelectorTerms));

/** jobs mode: one planned Job on one node. */
function jobStatus(job: JobPlan, rendered: KObject, cluster: ClusterState, ready: Readiness | undefined): NodeStatus {
  const node = job.node.name;
  const name = nameOf(rendered);
  const workload = `Job ${namespaceOf(rendered)}/${name}`;
  const live = cluster.nodes.get(node);
  if (!live) {
    return {
      node,
      state: 'left',
      workload,
      reason:
        'in the node inventory of this render, not in the cluster: the Job can never run there. Remove the node from the inventory (kserve-localmodel-fn inventory --for DIR) and render again',
      attention: false,
    };
  }
  const liveJob = cluster.jobs.get(compositeKey(namespaceOf(rendered), name));
  if (!liveJob) {
    const older = [...cluster.jobs.values()].filter((j) => sameJobLabels(j, rendered)).map(nameOf);
    const other =
      older.length > 0 ? ` (the cluster has ${older.sort(compareStrings).join(', ')}, of another render)` : '';
    return {
      node,
      state: 'missing',
      workload,
      reason: `Job ${name} is not in the cluster${other}: apply this render`,
      attention: true,
    };
  }
  const complete = trueCondition(liveJob, 'Complete');
  const jobStatus = mapOf(liveJob.status);
  if (complete) {
    const seconds = secondsBetween(String(jobStatus.startTime ?? ''), String(jobStatus.completionTime ?? ''));
    return completeStatus(node, workload, seconds, live, ready);
  }
  const pod = newestPod(cluster.pods.filter((p) => isPodOfJob(p, liveJob)));
  const failed = trueCondition(liveJob, 'Failed');
  if (failed) {
    const why = [failed.reason, failed.message].filter(Boolean).join(': ') || 'failed';
    const podWhy = pod ? podFailure(pod) : undefined;
    return {
      node,
      state: 'failed',
      workload,
      reason: `${why}${podWhy ? `; ${podWhy}` : ''}`,
      attention: true,
    };
  }
  if (!pod) return { node, state: 'pending', workload, reason: 'the Job has no pod yet', attention: false };
  return { ...podProgress(pod, containerOrder(pod.spec)), node, workload, pod: nameOf(pod) };
}

/** A pod that has not finished: where it stands, from its scheduling and its containers in order. */
function podProgress(pod: KObject, order: readonly string[]): Omit<NodeStatus, 'node'> {
  const unschedulable = schedulingProblem(pod);
  if (unschedulable)
    return { state: 'pending', reason: `pod ${nameOf(pod)} cannot be scheduled: ${unschedulable}`, attention: true };
  const states = containerStates(pod);
  if (mapOf(pod.status).phase === 'Failed') {
    return {
      state: 'pending',
      reason: `pod ${nameOf(pod)} failed (${podFailure(pod) ?? 'no reason given'}); the Job tries again`,
      attention: false,
    };
  }
  for (const name of order) {
    const s = states.get(name);
    const problem = s && containerProblem(name, s);
    if (problem) return { state: 'failed', reason: `pod ${nameOf(pod)}: ${problem}`, attention: true };
    if (s?.state === 'running') return { state: 'downloading', step: name, ...since(s.startedAt), attention: false };
  }
  return { state: 'pending', reason: `pod ${nameOf(pod)} is starting`, attention: false };
}

const since = (startedAt: string | undefined) => (startedAt ? { since: startedAt } : {});

/** Waiting reasons that do not pass by themselves. */
const STUCK = new Set([
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

function containerProblem(name: string, s: ContainerState): string | undefined {
  if (s.state === 'terminated') return s.exitCode === 0 ? undefined : exited(name, s);
  if (s.state !== 'waiting') return undefined;
  if (s.lastFailure) return `${exited(name, s.lastFailure)}${s.reason ? ` (now ${s.reason})` : ''}`;
  if (s.reason && STUCK.has(s.reason)) return `container ${name}: ${s.reason}${s.message ? `: ${s.message}` : ''}`;
  return undefined;
}

const exited = (name: string, t: Termination): string =>
  `container ${name} exited ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${firstLines(t.message)}` : ''}`;

/** A termination message is the tail of the container's log (FallbackToLogsOnError): its last lines say why. */
const firstLines = (message: string): string =>
  message
    .trim()
    .split('\n')
    .slice(-3)
    .map((l) => l.trim())
    .join(' / ');

function podFailure(pod: KObject): string | undefined {
  const states = containerStates(pod);
  for (const name of containerOrder(pod.spec)) {
    const s = states.get(name);
    const problem = s && containerProblem(name, s);
    if (problem) return `pod ${nameOf(pod)}: ${problem}`;
  }
  const status = mapOf(pod.status);
  return typeof status.reason === 'string' ? `pod ${nameOf(pod)}: ${status.reason}` : undefined;
}

/** serveOnlyWhenReady: the label that says a cache's copy is complete, and the labeler that sets it. */
type Readiness = ReturnType<typeof readinessOf>;

function completeStatus(
  node: string,
  workload: string,
  seconds: number | undefined,
  live: LiveNode,
  readiness: Readiness | undefined,
): NodeStatus {
  const ready = readiness ? isLabelledReady(live.labels, readiness.label) : undefined;
  const status: NodeStatus = {
    node,
    state: 'complete',
    workload,
    ...(seconds !== undefined ? { seconds } : {}),
    ...(ready !== undefined ? { ready } : {}),
    attention: false,
  };
  if (ready !== false || !readiness) return status;
  return {
    ...status,
    reason: `the copy is complete but the node lacks its ready label ${readiness.label}, so InferenceServices are not placed here; the labeler (${readiness.labeler}) sets it within ${LABEL_INTERVAL_SECONDS} seconds of the copy being complete: if it does not, read its pod's log on this node. A label of another value than "ready" is an operator's hold, which the labeler leaves alone`,
    attention: true,
  };
}

/** daemonset mode: one model folder's step on every node the group selects. */
function daemonSetStepStatus(
  ds: DaemonSetPlan,
  rendered: KObject,
  key: string,
  cluster: ClusterState,
  ready: Readiness | undefined,
): NodeStatus[] {
  const name = nameOf(rendered);
  const namespace = namespaceOf(rendered);
  const liveDaemonSet = cluster.daemonSets.get(compositeKey(namespace, name));
  const stepName = daemonSetStepName(key);
  const podsByNode = new Map<string, KObject[]>();
  if (liveDaemonSet) {
    for (const pod of cluster.pods.filter((p) => isPodOfDaemonSet(p, liveDaemonSet))) {
      const node = podNode(pod);
      if (node) podsByNode.set(node, [...(podsByNode.get(node) ?? []), pod]);
    }
  }
  const tolerations = listOf(mapOf(mapOf(mapOf(rendered.spec).template).spec).tolerations);
  return selectedNodes(ds.nodeGroup, cluster).map((node): NodeStatus => {
    const base = { node: node.name, workload: `DaemonSet ${namespace}/${name}` };
    if (!liveDaemonSet)
      return {
        ...base,
        state: 'missing',
        reason: `DaemonSet ${name} is not in the cluster: apply this render`,
        attention: true,
      };
    if (!daemonSetSteps(liveDaemonSet).includes(stepName)) {
      return {
        ...base,
        state: 'missing',
        reason: `DaemonSet ${name} in the cluster has no step ${stepName} for this model (an earlier render): apply this render`,
        attention: true,
      };
    }
    const pod = newestPod(podsByNode.get(node.name) ?? []);
    if (!pod) {
      const untolerated = node.taints.filter(
        (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t),
      );
      const reason = untolerated.length
        ? `DaemonSet ${name} has no pod here: the node's taint ${untolerated.map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`).join(', ')} is not tolerated. Add it to tolerations (or nodeGroupTolerations) in the function config`
        : `DaemonSet ${name} has no pod here yet`;
      return { ...base, state: 'missing', reason, attention: untolerated.length > 0 };
    }
    const podName = { pod: nameOf(pod) };
    const order = containerOrder(pod.spec);
    if (!order.includes(stepName)) {
      return {
        ...base,
        ...podName,
        state: 'pending',
        reason: `pod ${nameOf(pod)} predates this model: the DaemonSet's rolling update replaces it (maxUnavailable nodes at a time)`,
        attention: false,
      };
    }
    // The model is complete once its last step (finalize, or the plain download) has run; it took from the
    // start of its first step.
    const states = containerStates(pod);
    const steps = modelStepNames(key).filter((n) => order.includes(n));
    const first = states.get(steps[0]);
    const last = states.get(steps[steps.length - 1]);
    if (last?.state === 'terminated' && last.exitCode === 0) {
      return {
        ...completeStatus(
          node.name,
          base.workload,
          secondsBetween((first?.state !== 'waiting' && first?.startedAt) || last.startedAt, last.finishedAt),
          node,
          ready,
        ),
        ...podName,
      };
    }
    for (const step of steps) {
      const s = states.get(step);
      if (!s) continue;
      const problem = containerProblem(step, s);
      if (problem)
        return {
          ...base,
          ...podName,
          state: 'failed',
          reason: `pod ${nameOf(pod)}: ${problem}`,
          attention: true,
        };
      if (s.state === 'running')
        return {
          ...base,
          ...podName,
          state: 'downloading',
          step,
          ...since(s.startedAt),
          attention: false,
        };
    }
    const progress = podProgress(pod, order);
    if (progress.state === 'failed')
      return {
        ...progress,
        ...base,
        ...podName,
        reason: `blocked by an earlier step that failed: ${progress.reason}`,
      };
    if (progress.state === 'downloading')
      return {
        ...base,
        ...podName,
        state: 'pending',
        reason: `waiting for ${progress.step}${progress.since ? `, running since ${progress.since}` : ''}`,
        attention: false,
      };
    return { ...progress, ...base, ...podName };
  });
}
