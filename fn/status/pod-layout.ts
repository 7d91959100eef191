// Everything `status` knows about how our download workloads are laid out: which Job downloads a cache
// on a node, which DaemonSet and which of its init containers downloads a model folder, which pods are
// whose, which node label says a copy is ready, and which labeler sets it. The names come from fn/manifests/, so a change of the
// pod layout there is a change here, in this one file. The rendered workloads are the reference:
// `status` checks each step it looks for against the DaemonSet the compile built.

import type { Cache, NodeGroup } from '../inputs/index-inputs';
import type { KObject } from '../krm/objects';
import { labelOf, nameOf, namespaceOf } from '../krm/objects';
import { compositeKey } from '../krm/order';
import { DAEMONSET_LABEL } from '../manifests/daemonsets';
import { DOWNLOAD_CONTAINER_NAME } from '../manifests/jobs';
import { daemonSetName, labelerName } from '../names/objects';
import { READY_VALUE, readyLabelOf } from '../names/readiness';
import type { DaemonSetPlan, JobPlan } from '../plan/types';
import { containerOrder, ownerName } from './cluster-state';

/**
 * The labels KServe's node agent looks for on a download Job (fn/manifests/jobs.ts writes them): the cache
 * it is named after, its node, and for a LocalModelNamespaceCache the cache's namespace.
 */
const JOB_MODEL_LABEL = 'model';
const JOB_NODE_LABEL = 'node';
const JOB_MODEL_NAMESPACE_LABEL = 'modelNamespace';
/** Kubernetes labels the pods of a Job with its name (the first since 1.27, the second before). */
const POD_JOB_NAME_LABELS = ['batch.kubernetes.io/job-name', 'job-name'];

/** The daemonset-mode init container that downloads one model folder (manifests/workloads.ts, buildDaemonSet). */
export const daemonSetStepName = (storageKey: string): string => `download-${storageKey}`;

/**
 * A model folder's containers in a daemonset pod, in order: the trusted prepare step, the download, the
 * trusted finalize step (fn/manifests/download-steps.ts names them); KServe's plain form has the download only.
 */
export const modelStepNames = (storageKey: string): string[] => [
  `prepare-${storageKey}`,
  daemonSetStepName(storageKey),
  `finalize-${storageKey}`,
];

/** A Job's or a daemonset pod's container that runs the downloader (fn/manifests/jobs.ts, manifests/workloads.ts). */
export const isDownloadContainer = (name: string): boolean =>
  name === DOWNLOAD_CONTAINER_NAME || name.startsWith('download-');

/** The key of a planned Job among the rendered ones: its owner cache and node, as its labels say. */
export const planJobKey = (job: JobPlan): string =>
  compositeKey(job.caches[0].namespace, job.caches[0].name, job.node.name);

const renderedJobKey = (job: KObject): string =>
  compositeKey(
    labelOf(job, JOB_MODEL_NAMESPACE_LABEL) ?? '',
    labelOf(job, JOB_MODEL_LABEL) ?? '',
    labelOf(job, JOB_NODE_LABEL) ?? '',
  );

/** The rendered Jobs by planJobKey. */
export function renderedJobs(generated: readonly KObject[]): Map<string, KObject> {
  return new Map(generated.filter((o) => o.kind === 'Job').map((j) => [renderedJobKey(j), j]));
}

/** Jobs in the cluster for the same cache and node as a rendered one: another render's, when named otherwise. */
export const sameJobLabels = (a: KObject, b: KObject): boolean => renderedJobKey(a) === renderedJobKey(b);

export const isPodOfJob = (pod: KObject, job: KObject): boolean =>
  namespaceOf(pod) === namespaceOf(job) &&
  (ownerName(pod, 'Job') === nameOf(job) || POD_JOB_NAME_LABELS.some((l) => labelOf(pod, l) === nameOf(job)));

export const planDaemonSetName = (ds: DaemonSetPlan, packageName: string | undefined): string =>
  daemonSetName(ds.nodeGroup.name, ds.serviceAccountName, packageName);

export const isPodOfDaemonSet = (pod: KObject, daemonSet: KObject): boolean =>
  namespaceOf(pod) === namespaceOf(daemonSet) &&
  (labelOf(pod, DAEMONSET_LABEL) === nameOf(daemonSet) || ownerName(pod, 'DaemonSet') === nameOf(daemonSet));

/** The init containers of a DaemonSet (rendered or live), in order. */
export const daemonSetSteps = (daemonSet: KObject): string[] =>
  containerOrder((daemonSet.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec);

/**
 * The rendered DaemonSet has the step `status` looks for, or the layout changed under this module:
 * that is a bug here, never the user's, so it is thrown (and reported as an internal error).
 */
export function checkRenderedStep(daemonSet: KObject, storageKey: string): void {
  if (!daemonSetSteps(daemonSet).includes(daemonSetStepName(storageKey)))
    throw new Error(
      `status expects a container ${daemonSetStepName(storageKey)} in DaemonSet ${nameOf(daemonSet)}, which has ${daemonSetSteps(daemonSet).join(', ')}: fn/status/pod-layout.ts no longer matches fn/manifests/`,
    );
}

/**
 * serveOnlyWhenReady: the node label that says the copy of a cache's current model on a group's volume
 * is complete, and the labeler DaemonSet (in the jobs namespace) that sets it.
 */
export const readinessOf = (
  jobNamespace: string,
  packageName: string | undefined,
  cache: Cache,
  nodeGroup: NodeGroup,
): { label: string; labeler: string } => ({
  label: readyLabelOf({ jobNamespace, packageName }, cache, nodeGroup),
  labeler: `DaemonSet ${jobNamespace}/${labelerName(nodeGroup.name, packageName)}`,
});

export const isLabelledReady = (labels: Readonly<Record<string, string>>, label: string): boolean =>
  labels[label] === READY_VALUE;
