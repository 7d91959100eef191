// Schema checks: our kinds against their JSON Schemas (schemas/, compiled ahead of time), the function
// config in either form, and the basic shape every other resource needs before kubectl would take it.

import { decodeConfigMapData, FN_CONFIG_API_VERSION, FN_CONFIG_KIND } from '../inputs/fn-config';
import type { Inputs } from '../inputs/index-inputs';
import { SERVING_GROUP } from '../inputs/index-inputs';
import { isLocalConfig } from '../krm/files';
import type { KObject } from '../krm/objects';
import { groupOf, isPlainObject } from '../krm/objects';
import { error } from '../krm/report';
import type { Result } from '../krm/results';
import { describeValue, schemaViolations } from './schema-errors';

const SERVING_KINDS = new Set([
  'LocalModelCache',
  'LocalModelNamespaceCache',
  'LocalModelNodeGroup',
  'ClusterStorageContainer',
]);
const FN_CONFIG_GROUP = FN_CONFIG_API_VERSION.slice(0, FN_CONFIG_API_VERSION.indexOf('/'));

const schemaKindOf = (o: KObject): string | undefined => {
  const kind = typeof o.kind === 'string' ? o.kind : '';
  if (groupOf(o) === SERVING_GROUP && SERVING_KINDS.has(kind)) return kind;
  if (groupOf(o) === FN_CONFIG_GROUP && kind === FN_CONFIG_KIND) return kind;
  return undefined;
};

export interface SchemaCheck {
  results: Result[];
  /** Objects with at least one error: their fields may have any type. */
  broken: Set<KObject>;
}

export function schemaResults(
  items: readonly KObject[],
  inputs: Inputs,
  functionConfig: KObject | undefined,
): SchemaCheck {
  const check: SchemaCheck = { results: [], broken: new Set() };
  const add = (o: KObject, found: Result[]) => {
    check.results.push(...found);
    if (found.length > 0) check.broken.add(o);
  };
  for (const o of items) {
    if (inputs.previousOutput.has(o)) continue; // replaced by this run's output, never read
    const kind = schemaKindOf(o);
    add(o, kind ? againstSchema(kind, o) : resourceShape(o));
  }
  if (functionConfig && !items.includes(functionConfig)) add(functionConfig, functionConfigResults(functionConfig));
  return check;
}

function againstSchema(
  kind: string,
  checked: KObject,
  reportOn: KObject = checked,
  rename: (path: string) => string | undefined = (p) => p,
): Result[] {
  const results: Result[] = [];
  for (const v of schemaViolations(kind, checked)) {
    const path = rename(v.path);
    if (path !== undefined) results.push(error(reportOn, path || undefined, v.message));
  }
  return results;
}

/**
 * The typed kind is checked by its schema. The ConfigMap form (kpt's `configMap:`) holds the same
 * settings as strings: decoded first, checked by the same schema, reported at `data.<key>`. Text that
 * does not decode is reported where the config is read (inputs/fn-config.ts).
 */
function functionConfigResults(fc: KObject): Result[] {
  if (schemaKindOf(fc)) return againstSchema(FN_CONFIG_KIND, fc);
  if (fc.kind !== 'ConfigMap') {
    return [
      error(
        fc,
        'kind',
        `the function config must be a ConfigMap or a ${FN_CONFIG_KIND} (apiVersion ${FN_CONFIG_API_VERSION}), found ${describeKind(fc)}; see schemas/function-config.json`,
      ),
    ];
  }
  const typed: KObject = {
    apiVersion: FN_CONFIG_API_VERSION,
    kind: FN_CONFIG_KIND,
    metadata: { name: 'function-input' },
    spec: decodeConfigMapData(fc).fields,
  };
  return againstSchema(FN_CONFIG_KIND, typed, fc, (p) =>
    p.startsWith('spec.') ? `data.${p.slice('spec.'.length)}` : undefined,
  );
}

/** A key in a field path, written as schema-errors.ts writes it: `.app`, or `[app.kubernetes.io/name]`. */
const member = (key: string): string => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${key}]`);

const describeKind = (o: KObject): string => (typeof o.kind === 'string' && o.kind ? `kind ${o.kind}` : 'no kind');

/** What every resource needs for kubectl to accept it; checked on kinds that have no schema of ours. */
function resourceShape(o: KObject): Result[] {
  const results: Result[] = [];
  const problem = (path: string, message: string) => results.push(error(o, path, message));
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '')
    problem('apiVersion', `expected a string such as "v1" or "apps/v1", got ${describeValue(o.apiVersion)}`);
  if (typeof o.kind !== 'string' || o.kind === '')
    problem('kind', `expected a string such as "ConfigMap", got ${describeValue(o.kind)}`);
  const metadata: unknown = o.metadata;
  if (metadata === undefined || metadata === null) {
    if (!isLocalConfig(o)) problem('metadata', 'required field is missing: every resource needs metadata.name');
    return results;
  }
  if (!isPlainObject(metadata)) {
    problem('metadata', `expected an object, got ${describeValue(metadata)}`);
    return results;
  }
  if (metadata.name === undefined) {
    if (!isLocalConfig(o)) problem('metadata.name', 'required field is missing: every resource needs a name');
  } else if (typeof metadata.name !== 'string' || metadata.name === '')
    problem('metadata.name', `expected a non-empty string, got ${describeValue(metadata.name)}`);
  if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string')
    problem('metadata.namespace', `expected a string, got ${describeValue(metadata.namespace)}`);
  for (const field of ['labels', 'annotations'] as const) {
    const map: unknown = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      problem(`metadata.${field}`, `expected a map of string to string, got ${describeValue(map)}`);
      continue;
    }
    // Never applied, and read as text (a node inventory's `spot: yes` means "true"): only a cluster needs strings.
    if (isLocalConfig(o)) continue;
    for (const [key, value] of Object.entries(map)) {
      if (typeof value === 'string') continue;
      const hint = typeof value === 'number' || typeof value === 'boolean' ? `; quote it: "${String(value)}"` : '';
      problem(`metadata.${field}${member(key)}`, `expected a string, got ${describeValue(value)}${hint}`);
    }
  }
  return results;
}
