// Argo CD's Config Management Plugin hands the Application's settings to `generate` as environment:
// `ARGOCD_ENV_<NAME>` (the Application's `plugin.env`, prefixed by Argo CD) and `ARGOCD_APP_PARAMETERS`
// (JSON: [{name, string | array | map}]). Both map onto function config fields; parameters win over
// env, and both win over the package's own LocalModelFnConfig (laid over it by fn-config.ts's withOverrides).
import { isPlainObject } from '../krm/objects';
import { compareStrings } from '../krm/order';
import type { Result } from '../krm/results';
import { readYamlValue } from '../krm/yaml-read';
import { FN_CONFIG_KIND } from './fn-config';

/**
 * `text`: the string as is; `count-or-text`: digits become a number (maxUnavailable: 2 or "10%");
 * `integer` may be negative only where the field allows it (a sync wave); `mapping`: a YAML or JSON
 * mapping of lists, or Argo CD's `map` with one YAML list per key (nodeGroupTolerations).
 */
type ValueType = 'integer' | 'signed-integer' | 'boolean' | 'list' | 'mapping' | 'text' | 'count-or-text';

export interface ArgoParameter {
  /** The parameter name, which is also the function config field. */
  name: string;
  /** The Application's `plugin.env` name; Argo CD passes it as `ARGOCD_ENV_<env>`. */
  env: string;
  type: ValueType;
}

/**
 * Every function config field but outputDir (Argo CD applies the stream, no file is ever written);
 * test/argocd.test.ts holds this list to schemas/function-config.json.
 */
export const ARGOCD_PARAMETERS: readonly ArgoParameter[] = [
  { name: 'downloadMode', env: 'DOWNLOAD_MODE', type: 'text' },
  { name: 'maxUnavailable', env: 'MAX_UNAVAILABLE', type: 'count-or-text' },
  { name: 'pauseImage', env: 'PAUSE_IMAGE', type: 'text' },
  { name: 'cleanupRemovedModels', env: 'CLEANUP_REMOVED_MODELS', type: 'boolean' },
  { name: 'jobTTLSecondsAfterFinished', env: 'JOB_TTL_SECONDS_AFTER_FINISHED', type: 'integer' },
  { name: 'jobActiveDeadlineSeconds', env: 'JOB_ACTIVE_DEADLINE_SECONDS', type: 'integer' },
  { name: 'jobBackoffLimit', env: 'JOB_BACKOFF_LIMIT', type: 'integer' },
  { name: 'atomicDownloads', env: 'ATOMIC_DOWNLOADS', type: 'boolean' },
  { name: 'runAsServiceAccount', env: 'RUN_AS_SERVICE_ACCOUNT', type: 'boolean' },
  { name: 'createJobNamespace', env: 'CREATE_JOB_NAMESPACE', type: 'boolean' },
  { name: 'servingNamespaces', env: 'SERVING_NAMESPACES', type: 'list' },
  { name: 'nodes', env: 'NODES', type: 'list' },
  { name: 'tolerations', env: 'TOLERATIONS', type: 'list' },
  { name: 'nodeGroupTolerations', env: 'NODE_GROUP_TOLERATIONS', type: 'mapping' },
  { name: 'strict', env: 'STRICT', type: 'boolean' },
  { name: 'argocdSyncWave', env: 'ARGOCD_SYNC_WAVE', type: 'signed-integer' },
  { name: 'serveOnlyWhenReady', env: 'SERVE_ONLY_WHEN_READY', type: 'boolean' },
  { name: 'packageName', env: 'PACKAGE_NAME', type: 'text' },
  { name: 'nodeLabelImage', env: 'NODE_LABEL_IMAGE', type: 'text' },
  { name: 'stepImage', env: 'STEP_IMAGE', type: 'text' },
  { name: 'adoptExistingCopies', env: 'ADOPT_EXISTING_COPIES', type: 'boolean' },
];

export const ENV_PREFIX = 'ARGOCD_ENV_';
export const PARAMETERS_VARIABLE = 'ARGOCD_APP_PARAMETERS';

/** Kubernetes' ttlSecondsAfterFinished and backoffLimit are int32s. */
const MAX_INT32 = 2 ** 31 - 1;

export interface ArgoOverrides {
  /** Function config fields set by the Application, typed as in LocalModelFnConfig's spec. */
  spec: Record<string, unknown>;
  /** Where each field of `spec` was set, for messages. */
  sources: Record<string, OverrideSource>;
  results: Result[];
}

export interface OverrideSource {
  /** What a result's field path starts with: `ARGOCD_ENV_<NAME>` or `parameter <name>`. */
  path: string;
  /** Where the user finds it in the Application. */
  setBy: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

export function argocdOverrides(env: Environment): ArgoOverrides {
  const spec: Record<string, unknown> = {};
  const sources: Record<string, OverrideSource> = {};
  const results: Result[] = [];
  const set = (parameter: ArgoParameter, value: unknown, source: OverrideSource) => {
    spec[parameter.name] = value;
    sources[parameter.name] = source;
  };
  const fail = (where: string, message: string) => results.push({ severity: 'error', message, field: { path: where } });

  for (const name of Object.keys(env)
    .filter((k) => k.startsWith(ENV_PREFIX))
    .sort(compareStrings)) {
    const raw = env[name] ?? '';
    const parameter = ARGOCD_PARAMETERS.find((p) => ENV_PREFIX + p.env === name);
    if (!parameter) {
      fail(
        name,
        `${name} is not a setting of this plugin (the Application's plugin.env "${name.slice(ENV_PREFIX.length)}"); use one of ${ARGOCD_PARAMETERS.map((p) => p.env).join(', ')}`,
      );
      continue;
    }
    if (raw === '') continue;
    const decoded = decode(parameter, { string: raw }, name);
    if ('error' in decoded) fail(name, decoded.error);
    else set(parameter, decoded.value, { path: name, setBy: `the Application's plugin.env ${parameter.env}` });
  }

  const json = env[PARAMETERS_VARIABLE];
  if (json !== undefined && json.trim() !== '') {
    let list: unknown;
    try {
      list = JSON.parse(json);
    } catch (e) {
      fail(
        PARAMETERS_VARIABLE,
        `${PARAMETERS_VARIABLE} is not JSON (${(e as Error).message}); Argo CD sets it from the Application's spec.source.plugin.parameters`,
      );
      list = [];
    }
    if (!Array.isArray(list))
      fail(PARAMETERS_VARIABLE, `${PARAMETERS_VARIABLE} must be a JSON list of {name, string | array | map}`);
    else {
      list.forEach((entry: unknown, i) => {
        const where = `${PARAMETERS_VARIABLE}[${i}]`;
        const name = isPlainObject(entry) ? entry.name : undefined;
        const parameter = ARGOCD_PARAMETERS.find((p) => p.name === name);
        if (!isPlainObject(entry) || !parameter) {
          fail(
            where,
            `parameter ${JSON.stringify(name ?? null)} is not a parameter of this plugin; use one of ${ARGOCD_PARAMETERS.map((p) => p.name).join(', ')}`,
          );
          return;
        }
        // Argo CD sends a parameter the Application left empty as "" or []: the package's setting stays.
        // (To clear a list, give the string "[]".)
        const empty =
          (entry.string === undefined || entry.string === '') &&
          (entry.array === undefined || (Array.isArray(entry.array) && entry.array.length === 0)) &&
          (entry.map === undefined || (isPlainObject(entry.map) && Object.keys(entry.map).length === 0));
        if (empty) return;
        const decoded = decode(parameter, entry, `parameter "${parameter.name}"`);
        if ('error' in decoded) fail(where, decoded.error);
        else
          set(parameter, decoded.value, {
            path: `parameter ${parameter.name}`,
            setBy: `the Application's plugin parameter "${parameter.name}", ${where}`,
          });
      });
    }
  }
  return { spec, sources, results };
}

/**
 * A result about a function config field that the Application set is the Application's: it names the
 * parameter or the plugin.env variable, not the package's file, which does not hold that value.
 */
export function blameOverrides(
  results: readonly Result[],
  sources: Readonly<Record<string, OverrideSource>>,
): Result[] {
  return results.map((r) => {
    if (r.resourceRef?.kind !== FN_CONFIG_KIND) return r;
    const [, field, tail] = /^spec\.([A-Za-z]+)(.*)$/.exec(r.field?.path ?? '') ?? [];
    const source = field !== undefined ? sources[field] : undefined;
    if (!source) return r;
    const { resourceRef: _resource, file: _file, ...kept } = r;
    return { ...kept, message: `${r.message} (set by ${source.setBy})`, field: { path: `${source.path}${tail}` } };
  });
}

type Decoded = { value: unknown } | { error: string };

const LIST_EXAMPLE = '[{namespace: team-a, cache: llama3}]';
const MAPPING_EXAMPLE = '{gpu-a100: [{key: nvidia.com/gpu, operator: Exists}]}';

function decode(parameter: ArgoParameter, entry: Record<string, unknown>, source: string): Decoded {
  if (entry.map !== undefined) return decodeMap(parameter, entry.map, source);
  if (entry.array !== undefined) {
    if (parameter.type !== 'list') return { error: `${source} is an array; give one string` };
    if (!Array.isArray(entry.array)) return { error: `${source}: "array" must be a list of strings` };
    const items: unknown[] = [];
    for (const [i, text] of entry.array.entries()) {
      const read = readYamlValue(String(text));
      if ('problem' in read) return { error: `${source} item ${i}: ${read.problem}` };
      const item = read.value;
      if (!isPlainObject(item))
        return {
          error: `${source} item ${i} must be a YAML or JSON mapping, e.g. {namespace: team-a, cache: llama3}; got ${JSON.stringify(text)}`,
        };
      items.push(item);
    }
    return { value: items };
  }
  const text = typeof entry.string === 'string' ? entry.string.trim() : undefined;
  if (text === undefined) {
    const also = parameter.type === 'list' ? ' or "array"' : parameter.type === 'mapping' ? ' or "map"' : '';
    return { error: `${source} has no value; set "string"${also}` };
  }
  switch (parameter.type) {
    // The function config's schema checks the value, as for the package's own LocalModelFnConfig.
    case 'text':
      return { value: text };
    case 'count-or-text':
      if (/^-?\d+$/.test(text) && Number(text) < 1)
        return {
          error: `${source} must be a number of nodes, at least 1, or a percentage, e.g. "2" or "10%"; got ${JSON.stringify(text)}`,
        };
      return { value: /^\d+$/.test(text) ? Number(text) : text };
    case 'integer':
    case 'signed-integer': {
      const digits = parameter.type === 'integer' ? /^\d+$/ : /^-?\d+$/;
      const n = digits.test(text) ? Number(text) : NaN;
      if (n >= -MAX_INT32 - 1 && n <= MAX_INT32) return { value: n };
      const example = parameter.type === 'integer' ? '"86400" (seconds for a time)' : '"-1"';
      return { error: `${source} must be a whole number, e.g. ${example}; got ${JSON.stringify(text)}` };
    }
    case 'boolean':
      return text === 'true' || text === 'false'
        ? { value: text === 'true' }
        : { error: `${source} must be "true" or "false"; got ${JSON.stringify(text)}` };
    case 'list': {
      const read = readYamlValue(text);
      if ('problem' in read) return { error: `${source}: ${read.problem}` };
      const list = read.value;
      if (Array.isArray(list) && list.every(isPlainObject)) return { value: list };
      return {
        error: `${source} must be a YAML or JSON list of mappings, e.g. ${LIST_EXAMPLE}; got ${JSON.stringify(text)}`,
      };
    }
    case 'mapping': {
      const read = readYamlValue(text);
      if ('problem' in read) return { error: `${source}: ${read.problem}` };
      if (isPlainObject(read.value)) return { value: read.value };
      return {
        error: `${source} must be a YAML or JSON mapping from node group to a list of tolerations, e.g. ${MAPPING_EXAMPLE}; got ${JSON.stringify(text)}`,
      };
    }
  }
}

/** Argo CD's `map` parameter: string keys, string values; each value is read as a YAML list. */
function decodeMap(parameter: ArgoParameter, map: unknown, source: string): Decoded {
  if (parameter.type !== 'mapping')
    return {
      error: `${source} is a map; give ${parameter.type === 'list' ? 'an array of YAML mappings or a YAML list as a string' : 'a string'}`,
    };
  if (!isPlainObject(map)) return { error: `${source}: "map" must map names to strings` };
  const value: Record<string, unknown> = {};
  for (const key of Object.keys(map).sort(compareStrings)) {
    const read = readYamlValue(String(map[key]));
    if ('problem' in read) return { error: `${source} key "${key}": ${read.problem}` };
    if (!Array.isArray(read.value))
      return {
        error: `${source} key "${key}" must be a YAML or JSON list, e.g. [{key: nvidia.com/gpu, operator: Exists}]; got ${JSON.stringify(map[key])}`,
      };
    value[key] = read.value;
  }
  return { value };
}
