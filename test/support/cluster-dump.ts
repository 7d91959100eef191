// The recorded `kubectl get nodes,jobs,pods,daemonsets -A -o json` dumps of testdata/status-*/ are made
// here, from the function's own render of the case's package plus a scenario (scenario.yaml: the live
// nodes, and per node and cache how far its download got). So the Jobs, DaemonSets and pods of a dump
// are always the ones the function renders today: when the pod layout changes, `npm run status:update`
// rewrites the dumps, and the test fails until it is run. Timestamps count from a fixed instant.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KObject } from '../../fn/krm/objects';
import { labelOf, nameOf, namespaceOf } from '../../fn/krm/objects';
import { nodeMatchesTerms } from '../../fn/kserve/node-affinity';
import { LABELER_CONTAINER_NAME } from '../../fn/manifests/labeler';
import { renderDir } from '../../fn/modes/render';
import type { Taint } from '../../fn/status/cluster-state';
import { containerOrder } from '../../fn/status/cluster-state';
import type { Compiled } from '../../fn/status/node-states';
import { daemonSetStepName, isDownloadContainer, planDaemonSetName, readinessOf } from '../../fn/status/pod-layout';

/** How far one cache's download got on one node. */
export type Step =
  | { state: 'complete'; seconds: number; unlabelled?: boolean }
  | { state: 'downloading' }
  | { state: 'failed'; message: string };

export interface ScenarioNode {
  name: string;
  labels: Record<string, string>;
  taints?: Taint[];
  /** The node's download pod: not created, or not schedulable (with the scheduler's message). */
  pod?: 'none' | { unschedulable: string };
  /** Per cache name. A cache not listed has no Job (jobs mode) on the node. */
  caches?: Record<string, Step>;
}

export interface Scenario {
  /** The package folder, relative to the case folder. */
  package: string;
  /** The nodes of the cluster, as they are now. */
  nodes: ScenarioNode[];
  /** Jobs of the inventory's nodes that are gone from the cluster, by node: still in the cluster, Pending. */
  leftNodes?: string[];
}

/** An object as the API server returns it: metadata with the server's fields too. */
type LiveObject = Omit<KObject, 'metadata'> & { metadata: Record<string, unknown> };

const T0 = Date.parse('2026-05-01T10:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');

export function compiledPackage(dir: string): Compiled {
  const rendered = renderDir({ dir, check: false, argocd: false, allowEmpty: true, strict: false }, {});
  if (!rendered.compiled) throw new Error(`${dir} does not render: ${JSON.stringify(rendered.results)}`);
  return rendered.compiled;
}

export function readScenario(caseDir: string): Scenario {
  return parse(readFileSync(join(caseDir, 'scenario.yaml'), 'utf8')) as Scenario;
}

/** The dump, as kubectl prints it (a v1 List, two-space JSON). */
export function clusterDump(caseDir: string): string {
  const scenario = readScenario(caseDir);
  const compiled = compiledPackage(join(caseDir, scenario.package));
  const items: LiveObject[] = [...scenario.nodes.map((n) => liveNode(n, compiled, scenario))];
  let clock = 0;
  const tick = () => {
    clock += 60;
    return clock;
  };
  for (const o of compiled.generated) {
    if (o.kind === 'Job') items.push(...jobObjects(o, scenario, tick()));
    // The labelers (serveOnlyWhenReady) download nothing: status does not read them.
    if (o.kind === 'DaemonSet' && !isLabeler(o)) items.push(...daemonSetObjects(o, compiled, scenario, tick));
  }
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, 4)}\n`;
}

const isLabeler = (ds: KObject): boolean =>
  (podSpecOf(ds).containers as { name: string }[]).some((c) => c.name === LABELER_CONTAINER_NAME);

function liveNode(n: ScenarioNode, compiled: Compiled, scenario: Scenario): LiveObject {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': n.name, ...n.labels };
  // serveOnlyWhenReady: the labeler labels a node once a copy is complete there.
  if (compiled.fnConfig.serveOnlyWhenReady) {
    const jobNamespace = namespaceOf(
      compiled.generated.find((o) => o.kind === 'Job' || o.kind === 'DaemonSet') as KObject,
    );
    for (const [cacheName, step] of Object.entries(n.caches ?? {})) {
      if (step.state !== 'complete' || step.unlabelled) continue;
      const cache = compiled.plan.downloads.find((d) => d.cache.name === cacheName);
      if (!cache) throw new Error(`scenario: no cache ${cacheName} in ${scenario.package}`);
      const { label } = readinessOf(jobNamespace, compiled.fnConfig.packageName, cache.cache, cache.nodeGroup);
      labels[label] = 'ready';
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels, creationTimestamp: at(-86400) },
    spec: n.taints ? { taints: n.taints } : {},
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
  };
}

const podSpecOf = (workload: KObject): Record<string, unknown> =>
  structuredClone((workload.spec as { template: { spec: Record<string, unknown> } }).template.spec);

const podLabelsOf = (workload: KObject): Record<string, string> =>
  (workload.spec as { template: { metadata?: { labels?: Record<string, string> } } }).template.metadata?.labels ?? {};

/** A container status: `done` finished at `end`, `running` since `start`, else waiting. */
function containerStatus(
  name: string,
  state: 'done' | 'running' | 'waiting' | 'crashing',
  start: number,
  end: number,
  message = '',
): Record<string, unknown> {
  const base = { name, image: 'image', ready: state === 'running', restartCount: state === 'crashing' ? 3 : 0 };
  if (state === 'done')
    return {
      ...base,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(start), finishedAt: at(end) } },
    };
  if (state === 'running') return { ...base, state: { running: { startedAt: at(start) } } };
  if (state === 'crashing') {
    return {
      ...base,
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${name}` } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', message, startedAt: at(start), finishedAt: at(end) } },
    };
  }
  return { ...base, state: { waiting: { reason: 'PodInitializing' } } };
}

function unschedulableStatus(message: string): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
  };
}

/** jobs mode: the Job of one cache on one node, and its pod. */
function jobObjects(job: KObject, scenario: Scenario, start: number): LiveObject[] {
  const nodeName = labelOf(job, 'node') as string;
  const node = scenario.nodes.find((n) => n.name === nodeName);
  const left = scenario.leftNodes?.includes(nodeName);
  const step = node?.caches?.[labelOf(job, 'model') as string];
  if (!left && (!node || !step)) return []; // not applied (a node that joined has no Job at all)
  const name = nameOf(job);
  const podName = `${name}-x7k2p`;
  const spec = podSpecOf(job);
  const order = containerOrder(spec);
  const initCount = Array.isArray(spec.initContainers) ? spec.initContainers.length : 0;
  const download = order.findIndex(isDownloadContainer);
  const pod: LiveObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName,
      namespace: namespaceOf(job),
      labels: { ...podLabelsOf(job), 'batch.kubernetes.io/job-name': name, 'job-name': name },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, controller: true }],
      creationTimestamp: at(start),
    },
    spec: { ...spec, ...(left || (node?.pod && node.pod !== 'none') ? {} : { nodeName }) },
  };
  const liveJob: LiveObject = { ...structuredClone(job), metadata: { ...job.metadata, creationTimestamp: at(start) } };
  if (left || (node?.pod && node.pod !== 'none')) {
    const message =
      left || node?.pod === undefined || node.pod === 'none'
        ? `0/${scenario.nodes.length} nodes are available: ${scenario.nodes.length} node(s) didn't match Pod's node affinity/selector. preemption: 0/${scenario.nodes.length} nodes are available: ${scenario.nodes.length} Preemption is not helpful for scheduling.`
        : node.pod.unschedulable;
    liveJob.status = { startTime: at(start), active: 1, ready: 0 };
    return [liveJob, { ...pod, status: unschedulableStatus(message) }];
  }
  const s = step as Step;
  const statuses = order.map((c, i) => {
    if (i < download) return containerStatus(c, 'done', start + 2, start + 4);
    if (i > download) return containerStatus(c, s.state === 'complete' ? 'done' : 'waiting', start + 4, start + 6);
    if (s.state === 'complete') return containerStatus(c, 'done', start + 5, start + 5 + s.seconds);
    if (s.state === 'downloading') return containerStatus(c, 'running', start + 5, 0);
    return {
      ...containerStatus(c, 'done', start + 5, start + 65),
      state: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          message: s.message,
          startedAt: at(start + 5),
          finishedAt: at(start + 65),
        },
      },
    };
  });
  const split = { initContainerStatuses: statuses.slice(0, initCount), containerStatuses: statuses.slice(initCount) };
  const scheduled = { type: 'PodScheduled', status: 'True' };
  if (s.state === 'complete') {
    const end = start + 5 + s.seconds + 2;
    liveJob.status = {
      startTime: at(start),
      completionTime: at(end),
      succeeded: 1,
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached' },
        { type: 'Complete', status: 'True', reason: 'CompletionsReached' },
      ],
    };
    return [liveJob, { ...pod, status: { phase: 'Succeeded', conditions: [scheduled], ...split } }];
  }
  if (s.state === 'downloading') {
    liveJob.status = { startTime: at(start), active: 1, ready: 1 };
    const phase = download < initCount ? 'Pending' : 'Running';
    return [liveJob, { ...pod, status: { phase, conditions: [scheduled], startTime: at(start), ...split } }];
  }
  liveJob.status = {
    startTime: at(start),
    failed: 1,
    conditions: [
      {
        type: 'FailureTarget',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
    ],
  };
  return [liveJob, { ...pod, status: { phase: 'Failed', conditions: [scheduled], ...split } }];
}

/** daemonset mode: the DaemonSet, and its pod on each node it selects that has one. */
function daemonSetObjects(ds: KObject, compiled: Compiled, scenario: Scenario, tick: () => number): LiveObject[] {
  const name = nameOf(ds);
  const plan = compiled.plan.daemonSets.find((d) => planDaemonSetName(d, compiled.fnConfig.packageName) === name);
  if (!plan) throw new Error(`no plan for DaemonSet ${name}`);
  const stepOf = new Map(
    plan.steps.flatMap((s) => s.caches.map((c) => [daemonSetStepName(s.storageKey), c.name] as const)),
  );
  const spec = podSpecOf(ds);
  const order = containerOrder(spec);
  const initCount = Array.isArray(spec.initContainers) ? spec.initContainers.length : 0;
  const pods: LiveObject[] = [];
  for (const node of scenario.nodes) {
    if (!nodeMatchesTerms(node, plan.nodeGroup.nodeSelectorTerms) || node.pod === 'none') continue;
    const start = tick();
    const pod: LiveObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${name}-${node.name}`,
        namespace: namespaceOf(ds),
        labels: { ...podLabelsOf(ds), 'controller-revision-hash': '6d9f7c5b8', 'pod-template-generation': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, controller: true }],
        creationTimestamp: at(start),
      },
      spec: {
        ...spec,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.name] }] }],
            },
          },
        },
      },
    };
    if (node.pod?.unschedulable) {
      pods.push({ ...pod, status: unschedulableStatus(node.pod.unschedulable) });
      continue;
    }
    (pod.spec as Record<string, unknown>).nodeName = node.name;
    let t = start + 2;
    let blocked = false;
    const statuses = order.map((c, i) => {
      if (blocked) return containerStatus(c, 'waiting', 0, 0);
      const cache = stepOf.get(c);
      const step = cache ? node.caches?.[cache] : undefined;
      if (i >= initCount) return containerStatus(c, 'running', t, 0);
      if (!cache || step?.state === 'complete') {
        const took = step?.state === 'complete' ? step.seconds : 2;
        const s = containerStatus(c, 'done', t, t + took);
        t += took + 1;
        return s;
      }
      blocked = true;
      if (step?.state === 'failed') return containerStatus(c, 'crashing', t, t + 60, step.message);
      return containerStatus(c, 'running', t, 0);
    });
    pods.push({
      ...pod,
      status: {
        phase: blocked ? 'Pending' : 'Running',
        conditions: [{ type: 'PodScheduled', status: 'True' }],
        startTime: at(start),
        initContainerStatuses: statuses.slice(0, initCount),
        containerStatuses: statuses.slice(initCount),
      },
    });
  }
  const liveDs: LiveObject = {
    ...structuredClone(ds),
    metadata: { ...ds.metadata, creationTimestamp: at(0), generation: 1 },
    status: {
      desiredNumberScheduled: pods.length,
      currentNumberScheduled: pods.length,
      numberReady: pods.filter((p) => (p.status as { phase: string }).phase === 'Running').length,
      observedGeneration: 1,
    },
  };
  return [liveDs, ...pods];
}
