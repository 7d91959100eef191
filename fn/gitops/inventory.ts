// The node inventory a package commits: each Node reduced to its name and labels, marked local-config
// so no tool ever applies it, in one order whatever order kubectl printed. The same cluster gives the
// same bytes, so the file changes in Git only when the nodes do.
import { Document } from 'yaml';
import type { NodeGroup } from '../inputs/index-inputs';
import { LOCAL_CONFIG } from '../krm/annotations';
import { CREATE_NODE_OPTIONS, OUTPUT_DOCUMENT_OPTIONS, TO_STRING_OPTIONS } from '../krm/yaml-settings';
import type { NodeFacts } from '../kserve/node-affinity';
import { nodeMatchesTerms } from '../kserve/node-affinity';

const HEADER = `# Node inventory for kserve-localmodel-fn: names and labels only, local-config (never applied).
# Written by \`kserve-localmodel-fn inventory\`; write it again when the cluster's nodes change.
`;

/** Only the nodes some node group selects (`--for DIR`): nodes that get no download Job stay out of Git. */
export const selectedNodes = (nodes: readonly NodeFacts[], nodeGroups: Iterable<NodeGroup>): NodeFacts[] => {
  const terms = [...nodeGroups].map((g) => g.nodeSelectorTerms);
  return nodes.filter((node) => terms.some((t) => nodeMatchesTerms(node, t)));
};

/** The file: one Node document per node, in the order given (readNodeDump sorts by name and labels by key). */
export function inventoryText(nodes: readonly NodeFacts[]): string {
  const documents = nodes.map((node) => {
    const object = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: node.name, labels: { ...node.labels }, annotations: { [LOCAL_CONFIG]: 'true' } },
    };
    return new Document(object, { ...OUTPUT_DOCUMENT_OPTIONS, ...CREATE_NODE_OPTIONS }).toString(TO_STRING_OPTIONS);
  });
  return HEADER + documents.join('---\n');
}
