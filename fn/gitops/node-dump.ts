// What `kubectl get nodes -o json` or `-o yaml` prints, read as node names and labels: a v1 List (or
// NodeList) of Nodes, or a stream of Node documents. Everything else in a Node (status, taints,
// addresses, annotations) is cluster state that must never reach Git, so it is not even kept.
import type { Document } from 'yaml';
import { isMap, parseAllDocuments } from 'yaml';
import type { KObject } from '../krm/objects';
import { isPlainObject, mapOf } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { formatYamlProblem, readYamlStream, toPlainObject } from '../krm/yaml-read';
import { NODE_DUMP_PARSE_OPTIONS } from '../krm/yaml-settings';
import type { NodeFacts } from '../kserve/node-affinity';

export type NodeDump = { nodes: NodeFacts[] } | { problem: string };

const USE = 'give the output of kubectl get nodes -o json (or -o yaml)';

/** Nodes sorted by name, labels as strings; a problem names the document and what to give instead. */
export function readNodeDump(text: string): NodeDump {
  const documents = parseDumpDocuments(text, USE);
  if ('problem' in documents) return documents;
  const byName = new Map<string, NodeFacts>();
  for (const [index, doc] of documents.objects.entries()) {
    const where = documents.objects.length > 1 ? `document ${index + 1}` : 'the input';
    const isList = (doc.kind === 'List' || doc.kind === 'NodeList') && Array.isArray(doc.items);
    for (const [i, item] of (isList ? (doc.items as unknown[]) : [doc]).entries()) {
      const at = isList ? `${where}, item ${i}` : where;
      if (!isPlainObject(item) || item.kind !== 'Node') {
        const found = isPlainObject(item) ? `kind ${JSON.stringify(item.kind ?? null)}` : 'not a mapping';
        return { problem: `${at} is not a Node (${found}); ${USE}` };
      }
      const node = nodeFacts(item as KObject);
      if (!node) return { problem: `${at} is a Node without metadata.name; ${USE}` };
      const seen = byName.get(node.name);
      if (seen && JSON.stringify(seen.labels) !== JSON.stringify(node.labels)) {
        return { problem: `Node ${node.name} appears twice with different labels; give one dump of the cluster` };
      }
      byName.set(node.name, node);
    }
  }
  if (byName.size === 0) return { problem: `no Node in the input; ${USE}` };
  return { nodes: [...byName.values()].sort((a, b) => compareStrings(a.name, b.name)) };
}

/**
 * A kubectl dump's documents. kubectl's JSON is read as JSON (fast for thousands of objects); anything
 * else as a YAML stream. `use` says what to give instead, in a problem's message.
 */
export function parseDumpDocuments(text: string, use: string): { objects: KObject[] } | { problem: string } {
  if (text.trimStart().startsWith('{')) {
    try {
      return { objects: [JSON.parse(text) as KObject] };
    } catch {
      // Not one JSON value (e.g. several concatenated): the YAML reader says where it breaks.
    }
  }
  // First the checks every input gets (syntax, aliases, depth); then the values as text.
  const { problem } = readYamlStream(text);
  if (problem) return { problem: formatYamlProblem(problem) };
  const objects: KObject[] = [];
  for (const doc of parseAllDocuments(text, NODE_DUMP_PARSE_OPTIONS) as Document.Parsed[]) {
    if (doc.contents === null) continue;
    if (!isMap(doc.contents)) return { problem: `a document is not a mapping; ${use}` };
    const plain = toPlainObject(doc.contents, doc);
    if ('problem' in plain) return plain;
    objects.push(plain.object);
  }
  return { objects };
}

function nodeFacts(o: KObject): NodeFacts | undefined {
  const metadata = mapOf(o.metadata);
  if (typeof metadata.name !== 'string' || metadata.name === '') return undefined;
  const labels = mapOf(metadata.labels);
  const sorted = Object.keys(labels).sort(compareStrings);
  return { name: metadata.name, labels: Object.fromEntries(sorted.map((k) => [k, String(labels[k])])) };
}
