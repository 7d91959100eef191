// Reads a YAML stream and finds the first reason not to trust it, with its line and column: a syntax
// error, a duplicate key, nesting deeper than the code after the parser can follow, a recursive
// alias, or a YAML type that JSON (and so Kubernetes) has no equivalent for. Used by KRM mode and by
// `render`, so both word the same problem the same way.
import type { Document, YAMLMap, Node as YamlNode } from 'yaml';
import { isAlias, isCollection, isMap, isPair, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import type { KObject } from './objects';
import { MAX_ALIAS_COUNT, PARSE_OPTIONS, TO_JS_OPTIONS } from './yaml-settings';

/**
 * Nesting levels (mappings and sequences) a document may have. The yaml library's printer runs out of
 * stack at about 600 levels and its composer at about 780 (measured on Node 20 with the default stack);
 * a third of that leaves room for the callers' own frames, and no Kubernetes resource comes close.
 */
export const MAX_NESTING_DEPTH = 200;

/** YAML 1.1 types without a JSON form: Kubernetes would not read them as the author meant. */
const NON_JSON_TAGS = new Map([
  ['tag:yaml.org,2002:binary', '!!binary'],
  ['tag:yaml.org,2002:set', '!!set'],
  ['tag:yaml.org,2002:omap', '!!omap'],
  ['tag:yaml.org,2002:pairs', '!!pairs'],
]);

export interface YamlProblem {
  /** What is wrong and what to do, without the position. */
  message: string;
  /** Not YAML at all (a syntax error), as opposed to YAML this function refuses. */
  malformed: boolean;
  line?: number;
  col?: number;
  /** Index of the document it is in. */
  document: number;
}

export interface YamlStream {
  docs: Document.Parsed[];
  problem?: YamlProblem;
}

export function readYamlStream(text: string): YamlStream {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const docs = Array.isArray(parsed) ? parsed : [];
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  for (const [document, doc] of docs.entries()) {
    const error = doc.errors[0];
    const duplicate = firstDuplicateKey(doc);
    if (duplicate !== undefined && (!error || duplicate <= error.pos[0])) {
      return {
        docs,
        problem: {
          message: describeYamlError('DUPLICATE_KEY', '', text, duplicate),
          malformed: true,
          document,
          ...at(duplicate),
        },
      };
    }
    if (error) {
      const malformed = error.code !== 'RESOURCE_EXHAUSTION';
      return {
        docs,
        problem: {
          message: describeYamlError(error.code, error.message, text, error.pos[0]),
          malformed,
          document,
          ...at(error.pos[0]),
        },
      };
    }
  }
  for (const [document, doc] of docs.entries()) {
    const found = checkStructure(doc);
    if (found) return { docs, problem: { message: found.message, malformed: false, document, ...at(found.offset) } };
  }
  return { docs };
}

/** "malformed YAML at line 3, column 1: …": one wording for every caller. */
export const formatYamlProblem = (p: YamlProblem): string =>
  `${p.malformed ? 'malformed YAML' : 'YAML'}${p.line ? ` at line ${p.line}, column ${p.col}` : ''}: ${p.message}`;

function describeYamlError(code: string, message: string, text: string, offset: number): string {
  // prettyErrors appends " at line L, column C:" and a code excerpt; the position is reported separately.
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = keyAt(text, offset);
      return `${key ? `the key ${key}` : 'a key'} appears twice in one mapping; keep one of them, since tools disagree on which one wins`;
    }
    case 'RESOURCE_EXHAUSTION':
      return `nested too deeply for the YAML parser (${first}); Kubernetes resources nest a few dozen levels at most, and this function accepts ${MAX_NESTING_DEPTH}`;
    case 'TAB_AS_INDENT':
      return `${first}; indent with spaces`;
    default:
      return first;
  }
}

/** The key written at offset, quoted for a message, or undefined when it is not a simple key. */
function keyAt(text: string, offset: number): string | undefined {
  const line = text.slice(offset, offset + 300).split('\n')[0];
  const key = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s:,{}[\]][^:,{}[\]]*?)\s*:/.exec(line)?.[1];
  if (key === undefined) return undefined;
  return key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`;
}

interface Found {
  message: string;
  offset?: number;
}

/** One iterative walk (no recursion, whatever the depth) over the document's nodes. */
function checkStructure(doc: Document.Parsed): Found | undefined {
  const root = doc.contents;
  if (!root) return undefined;
  type Step = { node: unknown; depth: number } | { leave: YamlNode };
  const stack: Step[] = [{ node: root, depth: 0 }];
  const open = new Set<unknown>(); // collections on the path from the root: an alias to one is recursive
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if ('leave' in step) {
      open.delete(step.leave);
      continue;
    }
    const { node, depth } = step;
    if (isPair(node)) {
      const keyProblem = badKey(node.key);
      if (keyProblem) return { message: keyProblem, offset: (node.key as { range?: number[] } | null)?.range?.[0] };
      stack.push({ node: node.value, depth }, { node: node.key, depth });
      continue;
    }
    const offset = (node as { range?: [number, number, number] }).range?.[0];
    if (isAlias(node)) {
      if (open.has(node.resolve(doc))) {
        return {
          message: `the alias *${node.source} refers to a node that contains it; YAML aliases must not be recursive (Kubernetes rejects them too)`,
          offset,
        };
      }
      continue;
    }
    if (!isScalar(node) && !isCollection(node)) continue;
    const tag = node.tag ? NON_JSON_TAGS.get(node.tag) : undefined;
    if (tag) {
      return {
        message: `${tag} makes a value that JSON, and so Kubernetes, has no form for; write it as a plain string, mapping or sequence`,
        offset,
      };
    }
    if (!isCollection(node)) continue;
    if (depth + 1 > MAX_NESTING_DEPTH) {
      return {
        message: `nested more than ${MAX_NESTING_DEPTH} levels deep; no Kubernetes resource needs that many, so the input is refused before anything could run out of stack`,
        offset,
      };
    }
    open.add(node);
    stack.push({ leave: node });
    for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], depth: depth + 1 });
  }
  return undefined;
}

/**
 * Where the first key stands that repeats an earlier key of its mapping. Keys are equal as the yaml
 * library's own uniqueKeys check has them: scalars of the same value (`===`, so `1` and `"1"` differ).
 * One Set per mapping instead of the library's comparison with every earlier key: linear, not
 * quadratic, in the size of a mapping.
 */
function firstDuplicateKey(doc: Document.Parsed): number | undefined {
  let first: number | undefined;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) stack.push(node.key, node.value);
    if (!isCollection(node)) continue;
    for (const item of node.items) stack.push(item); // not push(...items): a huge mapping overflows the call
    if (!isMap(node)) continue;
    const seen = new Set<unknown>();
    for (const { key } of node.items) {
      if (!isScalar(key) || Number.isNaN(key.value)) continue; // NaN !== NaN: never a duplicate
      if (!seen.has(key.value)) seen.add(key.value);
      else if (key.range && (first === undefined || key.range[0] < first)) first = key.range[0];
    }
  }
  return first;
}

/** Keys JSON, and so Kubernetes, cannot have: a mapping or list (`? [a, b]`), or null (`~:`). */
function badKey(key: unknown): string | undefined {
  if (isCollection(key)) {
    return 'a mapping key that is itself a mapping or a list (`? [a, b]`) has no form in JSON, and so none in Kubernetes; use a string key';
  }
  if (key === null || (isScalar(key) && key.value === null)) {
    return 'a null mapping key (`~`, `null` or nothing before the colon) has no form in JSON, and so none in Kubernetes; quote it if it is meant as text';
  }
  return undefined;
}

/**
 * The plain value of a parsed node, or the reason it has none, in words: the library's own
 * "Excessive alias count" becomes what it means.
 */
function toPlain(node: YamlNode, doc: Document): { value: unknown } | { problem: string } {
  try {
    return { value: node.toJS(doc, TO_JS_OPTIONS) };
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return {
      problem: /Excessive alias count/.test(message)
        ? `YAML aliases expand past ${MAX_ALIAS_COUNT} nodes (an alias bomb?); write the values out`
        : message,
    };
  }
}

/** The plain object of a parsed mapping, or the reason it has none. */
export function toPlainObject(node: YAMLMap, doc: Document): { object: KObject } | { problem: string } {
  const plain = toPlain(node, doc);
  return 'problem' in plain ? plain : { object: plain.value as KObject };
}

/**
 * One YAML value held in a string (a ConfigMap-form config value, an Argo CD variable), read exactly
 * as a file is: the same types and the same refusals (`!!binary`, `? [a, b]`, duplicate keys).
 */
export function readYamlValue(text: string): { value: unknown } | { problem: string } {
  const { docs, problem } = readYamlStream(text);
  if (problem) return { problem: formatYamlProblem(problem) };
  if (docs.length > 1) return { problem: `holds ${docs.length} YAML documents; give one value` };
  const doc = docs[0];
  return doc?.contents ? toPlain(doc.contents, doc) : { value: null };
}
