// argv → what to do. No I/O: main.ts acts on the answer, so every combination is unit-testable.
import { parseArgs } from 'node:util';

export interface RenderOptions {
  /** The package folder to read. */
  dir: string;
  /** Write the manifests as files under this folder instead of printing them. */
  out?: string;
  /** With `out`: change nothing, exit 1 when `out` is not what a render would write. */
  check: boolean;
  /** Read Argo CD's ARGOCD_ENV_* and ARGOCD_APP_PARAMETERS over the package's function config. */
  argocd: boolean;
  /** An empty result is a success (normally an error: Argo CD and Flux would prune everything). */
  allowEmpty: boolean;
  /** Warnings are errors (also `strict: true` in the function config). */
  strict: boolean;
  /** A `kubectl get nodes -o json` dump of the cluster: report node drift against it. */
  nodes?: string;
}

export interface InventoryOptions {
  /** The `kubectl get nodes -o json|yaml` dump; stdin when absent. */
  file?: string;
  /** Keep only the nodes some LocalModelNodeGroup of this package selects. */
  forDir?: string;
}

export interface StatusOptions {
  /** The package folder, read as `render` reads it. */
  dir: string;
  /** The `kubectl get nodes,jobs,pods,daemonsets -A -o json` dump; stdin when absent. */
  cluster?: string;
  output: 'text' | 'json';
}

export type Command =
  | { kind: 'krm' }
  | { kind: 'render'; options: RenderOptions }
  | { kind: 'inventory'; options: InventoryOptions }
  | { kind: 'status'; options: StatusOptions }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

export const USAGE = `usage:
  kserve-localmodel-fn < resource-list.yaml
      KRM function (kpt, kustomize): a ResourceList on stdin, a ResourceList on stdout.
  kserve-localmodel-fn render [DIR] [--argocd] [--allow-empty] [--strict] [--nodes LIVE]
      Reads every YAML file under DIR (default: the current folder) and prints the manifests to
      apply as one multi-document stream; results and a summary go to stderr.
  kserve-localmodel-fn render [DIR] --out OUT [--check] [--allow-empty] [--strict] [--nodes LIVE]
      Writes the manifests under OUT, one file per object, with a kustomization.yaml, and removes
      the files it wrote before that are no longer produced. --check writes nothing and exits 1
      when OUT is stale, with a summary of the differences.
  kubectl get nodes -o json | kserve-localmodel-fn inventory [FILE] [--for DIR]
      Reads a kubectl get nodes dump (-o json or -o yaml; FILE, or stdin) and prints the node
      inventory to commit: Nodes with name and labels only, marked local-config, sorted by name.
      --for DIR keeps only the nodes a LocalModelNodeGroup of the package DIR selects.
  kubectl get nodes,jobs,pods,daemonsets -A -o json | kserve-localmodel-fn status [DIR] [--cluster FILE] [-o json]
      Reads the package DIR as render does and the cluster's state (FILE, or stdin; JSON or YAML),
      and prints per cache, node group and node where the download stands: complete, downloading,
      failed, pending, missing (no workload reaches the node) or left (gone from the cluster).
      Exit 0: every model complete everywhere; 3: downloads running or waiting; 4: a node needs
      attention (failed, missing, unschedulable, or complete but not labelled ready).

options:
  --out OUT       write files instead of printing (OUT must not be DIR or contain it)
  --check         with --out: exit 1 if OUT differs from what a render would write
  --argocd        read ARGOCD_ENV_* and ARGOCD_APP_PARAMETERS (the Argo CD plugin sets this)
  --allow-empty   succeed with nothing to apply (otherwise an error: it would prune everything)
  --strict        every warning is an error: exit 1, nothing printed or written (infos never fail)
  --nodes LIVE    compare the node inventory with a kubectl get nodes -o json dump: node drift is a
                  warning (an error under --strict or --check)
  --cluster FILE  status: the kubectl dump to read instead of stdin
  -o, --output F  status: text (default) or json
  -h, --help      this text
`;

export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'krm') {
    return rest.length === 0
      ? { kind: 'krm' }
      : { kind: 'usage-error', message: `KRM mode takes no arguments, got "${rest.join(' ')}"` };
  }
  if (first === '-h' || first === '--help' || first === 'help') return { kind: 'help' };
  if (first === 'inventory') return parseInventory(rest);
  if (first === 'status') return parseStatus(rest);
  if (first !== 'render') return { kind: 'usage-error', message: `unknown command "${first}"` };

  const parsed = parseOrExplain(parseRenderArgs, rest, 'render takes one folder');
  if ('kind' in parsed) return parsed;
  const { values, positionals } = parsed;
  if (values.out === '') return { kind: 'usage-error', message: '--out needs a folder' };
  if (values.nodes === '') return { kind: 'usage-error', message: '--nodes needs a kubectl get nodes -o json file' };
  if (values.check && values.out === undefined)
    return { kind: 'usage-error', message: '--check compares a folder written by --out; add --out OUT' };
  return {
    kind: 'render',
    options: {
      dir: positionals[0] ?? '.',
      ...(values.out !== undefined ? { out: values.out } : {}),
      check: values.check,
      argocd: values.argocd,
      allowEmpty: values['allow-empty'],
      strict: values.strict,
      ...(values.nodes !== undefined ? { nodes: values.nodes } : {}),
    },
  };
}

function parseRenderArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      check: { type: 'boolean', default: false },
      argocd: { type: 'boolean', default: false },
      'allow-empty': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      nodes: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function parseInventory(args: readonly string[]): Command {
  const parsed = parseOrExplain(parseInventoryArgs, args, 'inventory reads one dump');
  if ('kind' in parsed) return parsed;
  const { values, positionals } = parsed;
  if (values.for === '') return { kind: 'usage-error', message: '--for needs the package folder' };
  const file = positionals[0] === '-' ? undefined : positionals[0];
  return {
    kind: 'inventory',
    options: { ...(file !== undefined ? { file } : {}), ...(values.for !== undefined ? { forDir: values.for } : {}) },
  };
}

function parseInventoryArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { for: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
}

function parseStatus(args: readonly string[]): Command {
  const parsed = parseOrExplain(parseStatusArgs, args, 'status reads one package');
  if ('kind' in parsed) return parsed;
  const { values, positionals } = parsed;
  if (values.cluster === '') return { kind: 'usage-error', message: `--cluster needs a file (or - for stdin)` };
  if (values.output !== 'text' && values.output !== 'json')
    return { kind: 'usage-error', message: `--output is text or json, not "${values.output}"` };
  const cluster = values.cluster === '-' ? undefined : values.cluster;
  return {
    kind: 'status',
    options: { dir: positionals[0] ?? '.', ...(cluster !== undefined ? { cluster } : {}), output: values.output },
  };
}

function parseStatusArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      cluster: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'text' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** node's parseArgs, with what it throws, `--help` and a second positional turned into the Command to return. */
function parseOrExplain<T extends { values: { help?: boolean }; positionals: string[] }>(
  parse: (args: readonly string[]) => T,
  args: readonly string[],
  takesOne: string,
): T | Command {
  let parsed: T;
  try {
    parsed = parse(args);
  } catch (e) {
    return { kind: 'usage-error', message: (e as Error).message };
  }
  if (parsed.values.help) return { kind: 'help' };
  const { positionals } = parsed;
  if (positionals.length > 1)
    return { kind: 'usage-error', message: `${takesOne}, got ${positionals.length}: ${positionals.join(' ')}` };
  return parsed;
}
