// `status` output: the report as a table a person reads, or as JSON for scripts, and its exit code.
import { describeResource, plural } from '../krm/wording';
import type { NodeStatus, StatusReport } from './node-states';
import { isComplete } from './node-states';

/** The exit codes of `status` (docs/day-2.md, "Download status"). 1 and 2 are every command's: error, usage. */
export const STATUS_EXIT = { complete: 0, inProgress: 3, attention: 4 } as const;

export const statusExitCode = (r: StatusReport): number =>
  r.attention ? STATUS_EXIT.attention : r.complete ? STATUS_EXIT.complete : STATUS_EXIT.inProgress;

/** 4m12s, 1h02m03s, 35s: exact, and the same on every machine. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m${pad(s)}s`;
  if (m > 0) return `${m}m${pad(s)}s`;
  return `${s}s`;
}

function detail(n: NodeStatus): string {
  switch (n.state) {
    case 'complete': {
      const took = n.seconds !== undefined ? `in ${formatDuration(n.seconds)}` : 'done';
      if (n.ready === undefined) return took;
      return n.ready ? `${took}, labelled ready` : `${took}, not labelled ready: ${n.reason}`;
    }
    case 'downloading':
      return `${n.step}${n.since ? ` since ${n.since}` : ''} (${n.workload}${n.pod ? `, pod ${n.pod}` : ''})`;
    case 'failed':
    case 'pending':
      return `${n.reason}${n.workload ? ` (${n.workload})` : ''}`;
    default:
      return n.reason ?? '';
  }
}

export function statusText(r: StatusReport): string {
  const lines: string[] = [];
  const width = Math.max(0, ...r.caches.flatMap((c) => c.nodeGroups.flatMap((g) => g.nodes.map((n) => n.node.length))));
  const workloads = r.downloadMode === 'daemonset' ? 'DaemonSet' : 'Jobs';
  for (const c of r.caches) {
    lines.push(`${describeResource(c.kind, c.namespace, c.name)}: ${c.sourceModelUri} → models/${c.storageKey}`);
    for (const g of c.nodeGroups) {
      lines.push(`  node group ${g.nodeGroup} (${workloads})${g.nodes.length === 0 ? ': no node selected' : ''}`);
      for (const n of g.nodes) lines.push(`    ${n.node.padEnd(width)}  ${n.state.padEnd(11)}  ${detail(n)}`);
    }
    lines.push(
      `  ${c.complete}/${c.total} nodes complete${c.total === 0 ? ': no node of the cluster is in its node groups' : ''}`,
    );
  }
  const nodes = r.caches.flatMap((c) => c.nodeGroups.flatMap((g) => g.nodes)).filter((n) => n.state !== 'left');
  const attention = nodes.filter((n) => n.attention).length;
  const waiting = nodes.filter((n) => !isComplete(n) && !n.attention).length;
  const done = r.caches.filter((c) => c.complete === c.total).length;
  lines.push(
    r.complete && !r.attention
      ? `status: ${plural(r.caches.length, 'cache')} complete on every node`
      : `status: ${done} of ${plural(r.caches.length, 'cache')} complete on every node; ${plural(waiting, 'download')} running or waiting, ${plural(attention, 'node')} needing attention`,
  );
  return `${lines.join('\n')}\n`;
}

/** The fields of a node's status in one order, whichever way it was made. */
const NODE_FIELDS: (keyof NodeStatus)[] = [
  'node',
  'state',
  'workload',
  'pod',
  'step',
  'since',
  'seconds',
  'ready',
  'reason',
  'attention',
];

export const statusJson = (r: StatusReport): string =>
  `${JSON.stringify(
    { ...r, exitCode: statusExitCode(r) },
    (key, value) =>
      key === 'nodes'
        ? (value as NodeStatus[]).map((n) =>
            Object.fromEntries(NODE_FIELDS.filter((f) => f in n).map((f) => [f, n[f]])),
          )
        : value,
    2,
  )}\n`;
