// Runs the compiled JSON Schema validators and turns ajv's errors into what a person can act on:
// a Kubernetes-style field path (spec.nodeGroups[1], metadata.labels[app.kubernetes.io/name]) and a
// message that says what was expected and what was found.

import { compareStrings, compositeKey } from '../krm/order';
import { plural } from '../krm/wording';
import type { SchemaError, SchemaKind } from './schemas.generated';
import { knownFields, validators } from './schemas.generated';

export interface SchemaViolation {
  path: string;
  message: string;
}

/**
 * Named definitions of schemas/*.json, in words. An error raised directly by one of these
 * definitions (its type, pattern or length) is reported as "expected <words>, got <value>".
 */
const EXPECTED_BY_DEFINITION = new Map<string, string>([
  ['quantity', 'a Kubernetes quantity such as "10Gi"'],
  [
    'dnsLabel',
    'a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters, starting and ending with a letter or digit)',
  ],
  [
    'dnsSubdomain',
    'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters, starting and ending with a letter or digit)',
  ],
  ['relativeDir', 'a directory inside the package (no leading "/", no ".." segment, no backslash)'],
  ['stringMap', 'a map of string to string'],
]);
const DEFINITION_KEYWORDS = new Set(['type', 'pattern', 'minLength', 'maxLength']);

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function isKind(kind: string): kind is SchemaKind {
  return Object.hasOwn(validators, kind);
}

/**
 * Schema violations of `obj` as a resource of `kind` ("LocalModelCache", "LocalModelFnConfig", …),
 * sorted by path, without duplicates. [] when the object is valid or the kind has no schema.
 */
export function schemaViolations(kind: string, obj: unknown): SchemaViolation[] {
  if (!isKind(kind)) return [];
  const validate = validators[kind];
  if (validate(obj)) return [];

  const errors = validate.errors ?? [];
  const typeErrorPaths = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const seen = new Set<string>();
  const violations: SchemaViolation[] = [];
  for (const error of errors) {
    // A value of the wrong type also fails its enum or const; the type error alone says it.
    if (error.keyword !== 'type' && typeErrorPaths.has(error.instancePath)) continue;
    const violation = describeError(kind, obj, error);
    const id = compositeKey(violation.path, violation.message);
    if (seen.has(id)) continue;
    seen.add(id);
    violations.push(violation);
  }
  return violations.sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.message, b.message));
}

function describeError(kind: SchemaKind, obj: unknown, error: SchemaError): SchemaViolation {
  const segments = pointerSegments(error.instancePath);
  const value = valueAt(obj, segments);
  const params = error.params;

  const [, definition = '', keyword = ''] = /^#\/definitions\/([^/]+)\/([^/]+)$/.exec(error.schemaPath) ?? [];
  const expected = DEFINITION_KEYWORDS.has(keyword) ? EXPECTED_BY_DEFINITION.get(definition) : undefined;
  if (expected !== undefined) return at(obj, segments, `expected ${expected}, got ${describeValue(value)}`);

  switch (error.keyword) {
    case 'required':
      return at(obj, [...segments, String(params.missingProperty)], 'required field is missing');
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return at(obj, [...segments, field], unknownField(kind, error.schemaPath, field));
    }
    case 'type':
      return at(obj, segments, `expected ${typeWords(params.type)}, got ${describeValue(value)}`);
    case 'const':
      return at(obj, segments, `expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(value)}`);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return at(obj, segments, `expected one of ${allowed}, got ${describeValue(value)}`);
    }
    case 'minItems':
      return at(
        obj,
        segments,
        `expected at least ${plural(Number(params.limit), 'item')}, got ${describeValue(value)}`,
      );
    case 'maxItems':
      return at(obj, segments, `expected at most ${plural(Number(params.limit), 'item')}, got ${describeValue(value)}`);
    case 'minLength':
      return at(
        obj,
        segments,
        params.limit === 1
          ? 'must not be empty'
          : `expected at least ${plural(Number(params.limit), 'character')}, got ${describeValue(value)}`,
      );
    case 'maxLength':
      return at(
        obj,
        segments,
        `expected at most ${plural(Number(params.limit), 'character')}, got ${describeValue(value)}`,
      );
    case 'pattern':
      return at(obj, segments, `expected a string matching ${String(params.pattern)}, got ${describeValue(value)}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(
        obj,
        segments,
        `expected a number ${String(params.comparison)} ${String(params.limit)}, got ${describeValue(value)}`,
      );
    default:
      return at(obj, segments, error.message ?? `fails ${error.keyword}`);
  }
}

function at(obj: unknown, segments: string[], message: string): SchemaViolation {
  return { path: fieldPath(obj, segments), message };
}

/** Fields proposed upstream but in no KServe release: the message says where the setting goes instead. */
const UNRELEASED_FIELDS: Readonly<Record<string, string>> = {
  'LocalModelNodeGroup #/properties/spec tolerations':
    "unknown field: KServe's released LocalModelNodeGroup has no tolerations (proposed in kserve#5653, not merged), so the API server refuses or drops it; give the group's tolerations in the function config's nodeGroupTolerations",
};

function unknownField(kind: SchemaKind, schemaPath: string, field: string): string {
  const parent = schemaPath.replace(/\/additionalProperties$/, '');
  const unreleased = UNRELEASED_FIELDS[`${kind} ${parent} ${field}`];
  if (unreleased) return unreleased;
  const known = knownFields[kind][parent] ?? [];
  const suggestion = closestField(known, field);
  if (suggestion !== undefined) return `unknown field (did you mean ${suggestion}?)`;
  return known.length > 0 ? `unknown field (known fields: ${known.join(', ')})` : 'unknown field';
}

/** The known field that differs only in case, else the single one within a small edit distance. */
function closestField(known: readonly string[], field: string): string | undefined {
  const lower = field.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const maxDistance = Math.min(2, Math.floor(field.length / 4));
  const close = known.filter((k) => editDistance(k.toLowerCase(), lower) <= maxDistance);
  return close.length === 1 ? close[0] : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(obj: unknown, segments: string[]): unknown {
  let node = obj;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** spec.nodeGroups[1], spec.storage.parameters.region, metadata.labels[app.kubernetes.io/name]. */
function fieldPath(obj: unknown, segments: string[]): string {
  let path = '';
  let node = obj;
  for (const segment of segments) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${segment === '' || /[[\]"]/.test(segment) ? JSON.stringify(segment) : segment}]`;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

/** A value as a message shows it: "10Gi", the number 5, a list of 2 items, an object, nothing. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${plural(value.length, 'item')}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `the ${typeof value} ${String(value)}`;
}

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}
