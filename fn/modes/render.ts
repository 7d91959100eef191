// `render [DIR]`: reads every YAML file under DIR and prints the manifests to apply, as one plain
// multi-document stream: what Argo CD's plugin prints, and what anyone can read without kpt.
import { readFileSync, statSync } from 'node:fs';
import type { Node as YamlNode } from 'yaml';
import type { RenderOptions } from '../cli/args';
import { compile } from '../compile';
import { nodeDrift } from '../gitops/drift';
import type { NodeDump } from '../gitops/node-dump';
import { readNodeDump } from '../gitops/node-dump';
import { strictResults, warningsAsErrors } from '../gitops/strict';
import { syncWaveResults, withSyncWave } from '../gitops/sync-wave';
import type { OverrideSource } from '../inputs/argocd-parameters';
import { argocdOverrides, blameOverrides } from '../inputs/argocd-parameters';
import { isFnConfig } from '../inputs/fn-config';
import type { SourceFile } from '../krm/files';
import { isLocalConfig, parseFiles, stringifyManifests } from '../krm/files';
import { InputError } from '../krm/input-error';
import type { KObject } from '../krm/objects';
import type { Result } from '../krm/results';
import { formatResult, hasErrors, sortResults } from '../krm/results';
import type { NodeFacts } from '../kserve/node-affinity';
import { readPackage } from './read-package';
import type { Compiled } from './render-summary';
import { renderSummary } from './render-summary';

export interface Rendered {
  /** The objects to apply, in output order: no local-config object, no function config. */
  manifests: KObject[];
  /** Parsed nodes of the input objects, so they print as the user wrote them. */
  nodes: ReadonlyMap<KObject, YamlNode>;
  /** What the compile generated and why, for the summary; absent when the render failed. */
  compiled?: Compiled;
  results: Result[];
  /** Strict mode is on: a warning found later (render --out's immutable fields) is an error too. */
  strict: boolean;
}

export interface RenderSettings {
  /** Function config fields over the package's own (Argo CD parameters). */
  fnConfigOverrides?: Record<string, unknown>;
  /** Where each override was set, so that a result about it names the Argo CD parameter, not the file. */
  overrideSources?: Record<string, OverrideSource>;
  allowEmpty: boolean;
  /** The cluster's nodes (`--nodes LIVE`): node drift is reported against them. */
  liveNodes?: readonly NodeFacts[];
  /** `--check`: drift fails the gate, as in strict mode. */
  check?: boolean;
}

const failed = (results: Result[]): Rendered => ({
  manifests: [],
  nodes: new Map(),
  results: sortResults(results),
  strict: false,
});

/** Files in, manifests out; pure. Nothing to apply is an error unless asked for. */
function renderPackage(files: readonly SourceFile[], settings: RenderSettings): Rendered {
  let parsed: ReturnType<typeof parseFiles>;
  try {
    parsed = parseFiles(files);
  } catch (e) {
    if (e instanceof InputError) return failed(e.results);
    throw e;
  }
  const compiled = compile(parsed.items, undefined, settings.fnConfigOverrides);
  const { items, fnConfig, plan, generated } = compiled;
  const results = blameOverrides(compiled.results, settings.overrideSources ?? {});
  const { strict } = fnConfig;
  if (hasErrors(results) || !plan) return failed(results);
  if (settings.liveNodes) {
    const drift = nodeDrift(plan, fnConfig, settings.liveNodes);
    results.push(
      ...(strict || !settings.check ? strictResults(drift, strict) : warningsAsErrors(drift, 'drift fails --check')),
    );
  }
  // The function config is never applied (a kustomize transformer file carries no local-config mark).
  let manifests = items.filter((o) => !isLocalConfig(o) && !isFnConfig(o));
  let nodes: ReadonlyMap<KObject, YamlNode> = parsed.nodes;
  const wave = fnConfig.argocdSyncWave;
  if (wave !== undefined) {
    results.push(...strictResults(syncWaveResults(manifests, wave), strict));
    ({ manifests, nodes } = withSyncWave(manifests, parsed.nodes, wave));
  }
  if (manifests.length === 0) results.push(nothingToApply(settings.allowEmpty));
  if (hasErrors(results)) return failed(results);
  return { manifests, nodes, compiled: { plan, generated, fnConfig }, results: sortResults(results), strict };
}

/** Argo CD and Flux both prune what disappears: an empty render would delete every object they manage. */
function nothingToApply(allowEmpty: boolean): Result {
  return allowEmpty
    ? {
        severity: 'warning',
        message:
          'nothing to apply (--allow-empty): a GitOps tool that prunes will delete every object it manages from this source',
      }
    : {
        severity: 'error',
        message:
          'nothing to apply: no manifest in the package (only local-config objects, or no YAML at all). Argo CD or Flux would prune every object of this application; check the folder, or pass --allow-empty if an empty result is meant',
      };
}

/** Reads DIR (minus `skip`), applying Argo CD's parameters when asked to. */
export function renderDir(
  options: RenderOptions,
  env: Readonly<Record<string, string | undefined>>,
  skip: readonly string[] = [],
): Rendered {
  if (!isDirectory(options.dir)) {
    return failed([
      { severity: 'error', message: `${options.dir} is not a folder; give the package folder to render` },
    ]);
  }
  let fnConfigOverrides: Record<string, unknown> = {};
  let overrideSources: Record<string, OverrideSource> = {};
  if (options.argocd) {
    const argo = argocdOverrides(env);
    if (hasErrors(argo.results)) return failed(argo.results);
    fnConfigOverrides = argo.spec;
    overrideSources = argo.sources;
  }
  // --strict is the function config's `strict: true`, so every mode reads strictness from one place.
  if (options.strict) fnConfigOverrides = { ...fnConfigOverrides, strict: true };
  let liveNodes: NodeFacts[] | undefined;
  if (options.nodes !== undefined) {
    const dump = readLiveNodes(options.nodes);
    if ('problem' in dump) return failed([{ severity: 'error', message: `--nodes ${options.nodes}: ${dump.problem}` }]);
    liveNodes = dump.nodes;
  }
  const read = readPackage(options.dir, skip);
  if (hasErrors(read.results)) return failed(read.results);
  return renderPackage(read.files, {
    fnConfigOverrides,
    overrideSources,
    allowEmpty: options.allowEmpty,
    liveNodes,
    check: options.check,
  });
}

function readLiveNodes(path: string): NodeDump {
  try {
    return readNodeDump(readFileSync(path, 'utf8'));
  } catch (e) {
    return { problem: `cannot read it (${(e as Error).message}); give a file written by kubectl get nodes -o json` };
  }
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** The summary of a render that succeeded, or nothing: a refused render has nothing to sum up. */
export const summaryOf = (rendered: Rendered): string =>
  rendered.compiled && rendered.manifests.length > 0 && !hasErrors(rendered.results)
    ? renderSummary(rendered.compiled, rendered.manifests.length)
    : '';

/** Results in one sorted batch, then the summary: everything a person reads on stderr. */
export function reportRender(rendered: Rendered, stderr: NodeJS.WritableStream): void {
  for (const r of sortResults(rendered.results)) stderr.write(`${formatResult(r)}\n`);
  stderr.write(summaryOf(rendered));
}

export function runRender(
  options: RenderOptions,
  env: Readonly<Record<string, string | undefined>>,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): number {
  const rendered = renderDir(options, env);
  reportRender(rendered, stderr);
  if (hasErrors(rendered.results)) return 1;
  stdout.write(stringifyManifests(rendered.manifests, rendered.nodes));
  return 0;
}
