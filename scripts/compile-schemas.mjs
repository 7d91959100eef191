#!/usr/bin/env node
// Compiles schemas/*.json ahead of time into fn/validate/schemas.generated.js, one ES module with a
// validator per kind, and writes its types, fn/validate/schemas.generated.d.ts. The function then
// neither compiles schemas at start-up nor ships ajv.
//
// Usage: node scripts/compile-schemas.mjs   (`npm run build` runs it before esbuild; `npm test` builds first)

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(root, 'fn', 'validate', 'schemas.generated.js');
const typesFile = join(root, 'fn', 'validate', 'schemas.generated.d.ts');

/** Kind → schema file. The kind is also the export name in the generated module. */
const SCHEMAS = {
  LocalModelCache: 'localmodelcache.json',
  LocalModelNamespaceCache: 'localmodelnamespacecache.json',
  LocalModelNodeGroup: 'localmodelnodegroup.json',
  ClusterStorageContainer: 'clusterstoragecontainer.json',
  LocalModelFnConfig: 'function-config.json',
};

/**
 * ajv's standalone code `require`s its runtime helpers even in ESM output (ajv issues 1976, 2209).
 * The helpers we hit are self-contained functions, so their source is inlined instead; any other
 * helper fails the build rather than producing a module that needs ajv at run time.
 */
const INLINE_HELPERS = {
  'ajv/dist/runtime/ucs2length': ucs2length.default,
};

function fail(message) {
  throw new Error(`compile-schemas: ${message}`);
}

/** JSON-pointer fragment of a path of schema keys, spelled the way ajv spells error schemaPaths. */
function pointer(segments) {
  return `#${segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`;
}

/** Calls visit(subschema, segments) for the schema and every subschema in it. */
function walk(schema, visit, segments = []) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  visit(schema, segments);
  for (const key of ['properties', 'patternProperties', 'definitions']) {
    for (const [name, sub] of Object.entries(schema[key] ?? {})) walk(sub, visit, [...segments, key, name]);
  }
  for (const key of ['additionalProperties', 'items', 'not', 'if', 'then', 'else']) {
    if (!Array.isArray(schema[key])) walk(schema[key], visit, [...segments, key]);
    else for (const [i, sub] of schema[key].entries()) walk(sub, visit, [...segments, key, i]);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    for (const [i, sub] of (schema[key] ?? []).entries()) walk(sub, visit, [...segments, key, i]);
  }
}

/**
 * Checks the conventions schema-errors.ts relies on:
 * - properties.kind.const names the kind, so a schema cannot be filed under the wrong kind;
 * - definitions contain no $ref: ajv then inlines them, and errors inside them carry the schemaPath
 *   "#/definitions/<name>/<keyword>" that schema-errors.ts turns into a message ("a Kubernetes quantity").
 */
function checkConventions(kind, file, schema) {
  if (schema.properties?.kind?.const !== kind) fail(`${file}: properties.kind.const must be "${kind}"`);
  for (const [name, definition] of Object.entries(schema.definitions ?? {})) {
    walk(definition, (sub) => {
      if ('$ref' in sub) fail(`${file}: definitions/${name} contains a $ref; keep definitions free of $ref`);
    });
  }
}

/** Pointer of every object schema that rejects unknown fields → its field names (for "did you mean"). */
function knownFieldsOf(schema) {
  const known = {};
  walk(schema, (sub, segments) => {
    if (sub.additionalProperties === false) known[pointer(segments)] = Object.keys(sub.properties ?? {});
  });
  return known;
}

/**
 * Copy of the schema without annotations (title, description, default). They do not affect
 * validation, and ajv would otherwise embed them in the generated module for error params.
 */
function withoutAnnotations(schema) {
  const copy = structuredClone(schema);
  walk(copy, (sub) => {
    for (const key of ['title', 'description', 'default', '$comment', 'examples']) delete sub[key];
  });
  return copy;
}

function inlineHelpers(code) {
  return code.replace(/require\("([^"]+)"\)\.default/g, (_call, module) => {
    const helper = INLINE_HELPERS[module];
    if (typeof helper !== 'function')
      fail(`generated code needs ${module}; add it to INLINE_HELPERS if it is self-contained`);
    return `(${helper.toString()})`;
  });
}

async function main() {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    messages: false, // schema-errors.ts words every message itself; ajv's English would only add weight
    allowUnionTypes: true, // quantities are type: [integer, string], like the CRDs' int-or-string
    code: { source: true, esm: true, lines: true },
  });
  ajv.addVocabulary(['x-kubernetes-int-or-string']);

  const knownFields = {};
  for (const [kind, file] of Object.entries(SCHEMAS)) {
    const schema = JSON.parse(await readFile(join(root, 'schemas', file), 'utf8'));
    checkConventions(kind, file, schema);
    ajv.addSchema(withoutAnnotations(schema), kind);
    knownFields[kind] = knownFieldsOf(schema);
  }
  const kinds = Object.keys(SCHEMAS);
  const code = inlineHelpers(standaloneCode(ajv, Object.fromEntries(kinds.map((kind) => [kind, kind]))));
  if (/\brequire\s*\(/.test(code)) fail('generated code still calls require()');

  const source = [
    '// Generated by scripts/compile-schemas.mjs from schemas/*.json. Do not edit; run the script instead.',
    '/* eslint-disable */',
    code,
    '',
    `export const validators = Object.freeze({ ${kinds.join(', ')} });`,
    `export const knownFields = ${JSON.stringify(knownFields, null, 2)};`,
    '',
  ].join('\n');

  await mkdir(dirname(outFile), { recursive: true });
  const changed = [await writeIfChanged(outFile, source), await writeIfChanged(typesFile, typesOf(kinds))];
  const unchanged = changed.every((c) => !c) ? ' (unchanged)' : '';
  console.error(`compile-schemas: ${kinds.length} validators → ${outFile}${unchanged}`);
}

/** Writes only a changed file, so that a build leaves the time stamps of an unchanged one alone. */
async function writeIfChanged(file, text) {
  const previous = await readFile(file, 'utf8').catch(() => undefined);
  if (previous === text) return false;
  await writeFile(file, text);
  return true;
}

/** The declarations of the generated module, formatted as the house style formats them. */
function typesOf(kinds) {
  return `// Types of schemas.generated.js, which scripts/compile-schemas.mjs writes from schemas/*.json.

/** One ajv error, as standalone validators report it. */
export interface SchemaError {
  /** JSON pointer to the offending value, e.g. "/spec/nodeGroups/1". */
  instancePath: string;
  /** JSON pointer to the failing keyword in the schema, e.g. "#/definitions/quantity/pattern". */
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A compiled validator: returns whether data is valid and leaves the errors on \`errors\`. */
export interface Validator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

export type SchemaKind =
${kinds.map((kind) => `  | '${kind}'`).join('\n')};

${kinds.map((kind) => `export declare const ${kind}: Validator;`).join('\n')}

/** The validators above, keyed by kind. */
export declare const validators: Readonly<Record<SchemaKind, Validator>>;

/** Per kind: schema pointer of each object that rejects unknown fields → the fields it allows. */
export declare const knownFields: Readonly<Record<SchemaKind, Readonly<Record<string, readonly string[]>>>>;
`;
}

main().catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});
