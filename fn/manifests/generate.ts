// The build stage: every object of the plan, made once. Names come from names/objects.ts; a name two
// parts of the plan would both make is reported, naming both, and the output is refused.
import type { FnConfig } from '../inputs/fn-config';
import type { Cache } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import type { KObject } from '../krm/objects';
import { nameOf, namespaceOf } from '../krm/objects';
import { compositeKey } from '../krm/order';
import { info } from '../krm/report';
import type { Result } from '../krm/results';
import { describeResource } from '../krm/wording';
import { downloadPvcName, downloadPvName, servingPvcName, servingPvName } from '../names/objects';
import type { ReadinessPackage } from '../names/readiness';
import { readyLabelOf } from '../names/readiness';
import type { Plan } from '../plan/types';
import type { CacheContainer } from './download-containers';
import { jobNamespace } from './namespace';
import { labelerAccount, readinessPolicy, readinessRbac, withReadyAffinity } from './node-readiness';
import { runsStepScripts, stepScriptsConfigMap } from './step-scripts';
import { persistentVolume, persistentVolumeClaim } from './volumes';
import { buildDaemonSet, buildJob, buildLabeler } from './workloads';

export interface Built {
  objects: KObject[];
  results: Result[];
}

export interface BuildContext {
  containers: ReadonlyMap<Cache, CacheContainer>;
  config: KServeConfig;
  fnConfig: FnConfig;
  /** The input's own objects: a Namespace the user wrote is kept, not generated (createJobNamespace). */
  userItems: readonly KObject[];
}

export function buildManifests(p: Plan, { containers, config, fnConfig, userItems }: BuildContext): Built {
  const results: Result[] = [];
  const byId = new Map<string, { object: KObject; source: string }>();
  const emit = (made: object, source: string) => {
    const object = made as KObject;
    const id = compositeKey(object.kind ?? '', namespaceOf(object), nameOf(object));
    const other = byId.get(id);
    if (other) {
      results.push({
        severity: 'error',
        message: `${describeResource(object.kind ?? '', namespaceOf(object), nameOf(object))} would be generated twice, for ${other.source} and for ${source}; rename one of them (KServe builds these names by plain concatenation)`,
      });
      return;
    }
    byId.set(id, { object, source });
  };
  const jobNamespaceName = config.localModel.jobNamespace;
  const ready = fnConfig.serveOnlyWhenReady;
  const pkg: ReadinessPackage = { jobNamespace: jobNamespaceName, packageName: fnConfig.packageName };

  for (const d of p.downloads) {
    const pv = downloadPvName(d.cache, d.nodeGroup.name);
    const source = `${describeCache(d.cache)} on node group ${d.nodeGroup.name}`;
    emit(persistentVolume(pv, d.nodeGroup), source);
    emit(persistentVolumeClaim(downloadPvcName(d.cache, d.nodeGroup.name), jobNamespaceName, pv, d.nodeGroup), source);
  }
  for (const s of p.servings) {
    const pv = servingPvName(s.cache, s.nodeGroup.name, s.namespace);
    const source = `${describeCache(s.cache)} serving ${s.reasons[0]}`;
    const servingPv = persistentVolume(pv, s.nodeGroup);
    const label = readyLabelOf(pkg, s.cache, s.nodeGroup);
    emit(ready ? withReadyAffinity(servingPv, label, fnConfig.argocdSyncWave) : servingPv, source);
    emit(persistentVolumeClaim(servingPvcName(s.cache, s.nodeGroup.name), s.namespace, pv, s.nodeGroup), source);
  }
  for (const job of p.jobs)
    emit(buildJob(job, containers, config, fnConfig), `${describeCache(job.caches[0])} on node ${job.node.name}`);
  for (const ds of p.daemonSets) {
    const owner = ds.serviceAccountName ? ` running as ${ds.serviceAccountName}` : '';
    emit(buildDaemonSet(ds, containers, config, fnConfig), `node group ${ds.nodeGroup.name}${owner}`);
  }
  for (const labeler of p.labelers)
    emit(buildLabeler(labeler, pkg, config, fnConfig), `serveOnlyWhenReady on node group ${labeler.nodeGroup.name}`);
  if (p.labelers.length > 0) {
    const admission = readinessPolicy(pkg, fnConfig.argocdSyncWave);
    for (const o of [labelerAccount(pkg), ...readinessRbac(pkg), ...admission]) emit(o, 'serveOnlyWhenReady');
  }

  const objects = [...byId.values()].map((e) => e.object);
  if (objects.some(runsStepScripts))
    objects.push(stepScriptsConfigMap(jobNamespaceName, fnConfig.packageName) as KObject);
  if (fnConfig.createJobNamespace) {
    const made = jobNamespaceFor(jobNamespaceName, userItems);
    if (made.object) objects.push(made.object);
    results.push(...made.results);
  }
  return { objects, results };
}

/**
 * createJobNamespace: the jobs namespace, unless the user's own items have it (then kept as written). The
 * one an earlier run generated is not the user's: it is replaced like every generated object.
 */
function jobNamespaceFor(name: string, userItems: readonly KObject[]): { object?: KObject; results: Result[] } {
  const written = userItems.find((o) => o.apiVersion === 'v1' && o.kind === 'Namespace' && nameOf(o) === name);
  if (!written) return { object: jobNamespace(name) as KObject, results: [] };
  const message = `createJobNamespace: the package already has Namespace ${name}; it is kept as written and not generated`;
  return { results: [info(written, 'metadata.name', message)] };
}
