// ResourceList in, ResourceList out (KRM Functions Specification v1). The only code that parses or
// prints YAML for KRM mode. Pass-through items are re-emitted from their parsed nodes, so the user's
// comments, quoting and key order survive; the core only ever sees plain objects.
import type { YAMLMap, Node as YamlNode } from 'yaml';
import { Document, isMap, isNode, isSeq, visit } from 'yaml';
import { InputError, MAX_INPUT_BYTES, tooLargeMessage } from './input-error';
import { keepKeyLineComments, keepListComments } from './item-comments';
import type { KObject } from './objects';
import type { Result } from './results';
import { removeServerFields } from './server-fields';
import { formatYamlProblem, readYamlStream, toPlainObject } from './yaml-read';
import { CREATE_NODE_OPTIONS, OUTPUT_DOCUMENT_OPTIONS, TO_STRING_OPTIONS } from './yaml-settings';

export const RESOURCE_LIST_API_VERSION = 'config.kubernetes.io/v1';

export interface ParsedResourceList {
  items: KObject[];
  functionConfig?: KObject;
  /** The parsed node of every item and of the function config, keyed by the plain object made from it. */
  nodes: Map<KObject, YamlNode>;
}

const inputError = (message: string, path?: string): InputError =>
  new InputError([{ severity: 'error', message, ...(path ? { field: { path } } : {}) }]);

const EMPTY_INPUT =
  'empty input: expected a ResourceList (apiVersion: config.kubernetes.io/v1, kind: ResourceList) on stdin';
const NOT_A_RESOURCE_LIST =
  'KRM mode reads one ResourceList (apiVersion: config.kubernetes.io/v1, kind: ResourceList, items: [...]) on stdin, as kpt and kustomize send it; to render a folder of manifests, run `kserve-localmodel-fn render DIR`';

export function parseResourceList(text: string, maxBytes = MAX_INPUT_BYTES): ParsedResourceList {
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) throw inputError(tooLargeMessage(`${bytes} bytes`, maxBytes));
  if (text.trim() === '') throw inputError(EMPTY_INPUT);
  const stream = readYamlStream(text);
  if (stream.problem) throw inputError(formatYamlProblem(stream.problem));
  // A stray `---` before or after the list is an empty document, not a second list.
  const docs = stream.docs.filter((d) => d.contents !== null && !isScalarNull(d.contents));
  if (docs.length === 0) throw inputError(EMPTY_INPUT);
  if (docs.length !== 1) throw inputError(`found ${docs.length} YAML documents; ${NOT_A_RESOURCE_LIST}`);
  const doc = docs[0];
  const root = doc.contents;
  if (!isMap(root)) throw inputError(`the input is not a YAML mapping; ${NOT_A_RESOURCE_LIST}`);
  const kind: unknown = root.get('kind');
  if (kind !== 'ResourceList') {
    throw inputError(
      `expected kind: ResourceList, found ${kind === undefined ? 'no kind' : typeof kind === 'string' ? JSON.stringify(kind) : 'a kind that is not a string'}; ${NOT_A_RESOURCE_LIST}`,
      'kind',
    );
  }
  const itemsNode = root.get('items', true);
  if (itemsNode !== undefined && itemsNode !== null && !isSeq(itemsNode) && !isScalarNull(itemsNode)) {
    throw inputError('expected a list of resources', 'items');
  }

  const nodes = new Map<KObject, YamlNode>();
  const toObject = (node: unknown, where: string): KObject => {
    if (!isMap(node)) throw inputError('expected a resource (a mapping with apiVersion, kind, metadata)', where);
    keepKeyLineComments(node);
    removeServerFields(node);
    const object = toPlain(node, doc, where);
    // An item with aliases is printed from its plain form: its anchor may live in another item, and
    // kustomize and kpt both fail on aliases in a function's output.
    if (!containsAlias(node)) nodes.set(object, node);
    return object;
  };

  if (isSeq(itemsNode)) keepListComments(doc, root, itemsNode);
  const items = isSeq(itemsNode) ? itemsNode.items.map((node, i) => toObject(node, `items[${i}]`)) : [];
  const fcNode = root.get('functionConfig', true);
  const functionConfig = fcNode === undefined || isScalarNull(fcNode) ? undefined : toObject(fcNode, 'functionConfig');
  dropAnchors(doc);
  return { items, functionConfig, nodes };
}

function toPlain(node: YAMLMap, doc: Document, where: string): KObject {
  const plain = toPlainObject(node, doc);
  if ('problem' in plain) throw inputError(plain.problem, where);
  return plain.object;
}

function containsAlias(node: YAMLMap): boolean {
  let found = false;
  visit(node, {
    Alias: () => {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/** Once every alias is resolved, anchors serve nothing and would confuse the tools that read our output. */
function dropAnchors(doc: Document): void {
  visit(doc, (_key, node) => {
    if (isNode(node) && node.anchor) node.anchor = undefined;
  });
}

const isScalarNull = (node: unknown): boolean =>
  typeof node === 'object' && node !== null && 'value' in node && (node as { value: unknown }).value === null;

export interface ResourceListOutput {
  items: KObject[];
  functionConfig?: KObject;
  results: Result[];
}

/**
 * The output ResourceList as consecutive pieces of text. Items that came from the input are printed
 * from their own nodes; generated ones are made into nodes here. `items` is always present: kpt
 * rejects a list without it. The pieces make the same bytes as one document would print,
 * without ever holding the YAML nodes or the text of thousands of generated Jobs at once (that costs
 * a quarter more time and twice the memory, bench/). Everything up to the last item printed from its
 * input node is printed here and now, as one document, as before, so a node that cannot be printed
 * fails in this call. The items after it, printed from plain objects (the generated ones: the core
 * puts them last), are printed one at a time in its place, as the pieces are taken. An item made from
 * a plain object never has a comment or a blank line before it, the only things that could make its
 * text depend on the item printed before it.
 */
export function printResourceList(out: ResourceListOutput, nodes: ReadonlyMap<KObject, YamlNode>): Iterable<string> {
  const plainFrom = trailingPlainItemsStart(out.items, nodes);
  const plainItems = out.items.slice(plainFrom);
  const doc = new Document(null, OUTPUT_DOCUMENT_OPTIONS);
  const node = (o: KObject) => nodes.get(o) ?? doc.createNode(o, CREATE_NODE_OPTIONS);
  const items: unknown[] = out.items.slice(0, plainFrom).map(node);
  if (plainItems.length > 0) items.push(PLAIN_ITEMS_PLACEHOLDER);
  const list: Record<string, unknown> = {
    apiVersion: RESOURCE_LIST_API_VERSION,
    kind: 'ResourceList',
    items: doc.createNode(items, CREATE_NODE_OPTIONS),
  };
  if (out.functionConfig) list.functionConfig = node(out.functionConfig);
  if (out.results.length > 0) list.results = out.results;
  doc.contents = doc.createNode(list, CREATE_NODE_OPTIONS) as YAMLMap;
  const text = doc.toString(TO_STRING_OPTIONS);
  if (plainItems.length === 0) return [text];

  const printItem = itemPrinter();
  const placeholder = printItem(PLAIN_ITEMS_PLACEHOLDER);
  const at = text.indexOf(`\n${placeholder}`) + 1;
  return printedBetween(text.slice(0, at), plainItems, printItem, text.slice(at + placeholder.length));
}

function* printedBetween(
  before: string,
  items: readonly KObject[],
  printItem: (item: KObject) => string,
  after: string,
): Generator<string> {
  yield before;
  for (const item of items) yield printItem(item);
  yield after;
}

/** Holds the place of the plain items: a list entry that is a string, which no item ever is. */
const PLAIN_ITEMS_PLACEHOLDER = '\u0000plain items';

function trailingPlainItemsStart(items: readonly KObject[], nodes: ReadonlyMap<KObject, YamlNode>): number {
  let start = items.length;
  while (start > 0 && !nodes.has(items[start - 1])) start--;
  return start;
}

const ITEMS_KEY_LINE = 'items:\n';

/**
 * Prints one item as its lines under `items:` (the list's indentation included), in a document reused
 * for every item. `directives: false` skips a walk of every node in search of tag directives, which a
 * fresh document never has.
 */
function itemPrinter(): (item: unknown) => string {
  const doc = new Document(null, OUTPUT_DOCUMENT_OPTIONS);
  return (item) => {
    doc.contents = doc.createNode({ items: [item] }, CREATE_NODE_OPTIONS);
    return doc.toString({ ...TO_STRING_OPTIONS, directives: false }).slice(ITEMS_KEY_LINE.length);
  };
}
