// `inventory [FILE] [--for DIR]`: a `kubectl get nodes` dump (FILE, or stdin) in, the node inventory
// to commit out, on stdout. Errors go to stderr with exit 1, and then nothing is printed.
import type { InventoryOptions } from '../cli/args';
import { inventoryText, selectedNodes } from '../gitops/inventory';
import { readNodeDump } from '../gitops/node-dump';
import type { NodeGroup } from '../inputs/index-inputs';
import { indexInputs } from '../inputs/index-inputs';
import { parseFiles } from '../krm/files';
import { InputError } from '../krm/input-error';
import type { Result } from '../krm/results';
import { formatResult, hasErrors } from '../krm/results';
import { readInputText } from './read-input';
import { readPackage } from './read-package';

export function runInventory(
  options: InventoryOptions,
  readStdin: (limit: number) => Buffer | undefined,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): number {
  const fail = (message: string) => {
    stderr.write(`error: ${message}\n`);
    return 1;
  };
  const source = options.file ?? 'stdin';
  const input = readInputText(options.file, readStdin);
  if ('problem' in input) return fail(input.problem);
  const dump = readNodeDump(input.text);
  if ('problem' in dump) return fail(`${source}: ${dump.problem}`);

  let nodes = dump.nodes;
  if (options.forDir !== undefined) {
    const nodeGroups = packageNodeGroups(options.forDir);
    if (typeof nodeGroups === 'string') return fail(nodeGroups);
    nodes = selectedNodes(dump.nodes, nodeGroups.values());
    if (nodes.length === 0) {
      return fail(
        `no node of the ${dump.nodes.length} in ${source} is selected by the node groups of ${options.forDir} (${[...nodeGroups.keys()].join(', ')}); check their nodeAffinity against the nodes' labels`,
      );
    }
  }
  stdout.write(inventoryText(nodes));
  stderr.write(
    `inventory: ${nodes.length} of ${dump.nodes.length} nodes${options.forDir !== undefined ? `, selected by the node groups of ${options.forDir}` : ''}\n`,
  );
  return 0;
}

/** The package's LocalModelNodeGroups by name, or why there are none to select with. */
function packageNodeGroups(dir: string): ReadonlyMap<string, NodeGroup> | string {
  const why = (results: readonly Result[]) => results.map((r) => formatResult(r).replace(/^error: /, '')).join('; ');
  let items: ReturnType<typeof parseFiles>['items'];
  try {
    const read = readPackage(dir);
    if (hasErrors(read.results)) return why(read.results);
    items = parseFiles(read.files).items;
  } catch (e) {
    if (e instanceof InputError) return why(e.results);
    return `cannot read ${dir}: ${(e as Error).message}`;
  }
  const { nodeGroups } = indexInputs(items);
  if (nodeGroups.size === 0)
    return `${dir} has no LocalModelNodeGroup, so --for cannot select nodes; give the package folder`;
  return nodeGroups;
}
