// `status`: where each download stands, per cache, node group and node, read from a recorded kubectl
// dump beside the package. The dumps in testdata/status-*/ are made from the function's own render
// (test/support/cluster-dump.ts), so they follow the pod layout; a stale one fails the first test.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import type { KObject } from '../fn/krm/objects';
import type { ClusterState } from '../fn/status/cluster-state';
import { readClusterState } from '../fn/status/cluster-state';
import type { NodeStatus, StatusReport } from '../fn/status/node-states';
import { downloadStatus } from '../fn/status/node-states';
import { checkRenderedStep } from '../fn/status/pod-layout';
import { formatDuration, STATUS_EXIT, statusExitCode } from '../fn/status/report';
import { clusterDump, compiledPackage, readScenario } from './support/cluster-dump';
import { runInProcess } from './support/in-process';
import { tempDir } from './support/integrations';
import { statusCases } from './support/status-cases';

const CASES = statusCases();
const caseDir = (name: string) => (CASES.find((c) => c.name === name) as { dir: string }).dir;
const packageOf = (dir: string) => join(dir, readScenario(dir).package);
const dumpOf = (dir: string) => readFileSync(join(dir, 'cluster.json'), 'utf8');

/** The report of a case, computed in-process from its recorded dump (or an edited copy of it). */
function reportOf(name: string, edit?: (items: KObject[]) => KObject[]): StatusReport {
  const dir = caseDir(name);
  const dump = JSON.parse(dumpOf(dir)) as { items: KObject[] };
  const cluster = readClusterState(JSON.stringify({ ...dump, items: edit ? edit(dump.items) : dump.items }));
  assert.ok(!('problem' in cluster));
  return downloadStatus(compiledPackage(packageOf(dir)), cluster as ClusterState);
}

const nodeOf = (r: StatusReport, cache: string, node: string): NodeStatus => {
  const found = r.caches
    .find((c) => c.name === cache)
    ?.nodeGroups.flatMap((g) => g.nodes)
    .find((n) => n.node === node);
  assert.ok(found, `${cache} on ${node}`);
  return found;
};

describe('status: the recorded cases', () => {
  test('there are cases for both download modes, and each dump is what the render makes today', () => {
    assert.deepEqual(
      CASES.map((c) => c.name),
      ['status-complete', 'status-daemonset', 'status-jobs'],
    );
    for (const { name, dir } of CASES)
      assert.equal(dumpOf(dir), clusterDump(dir), `${name}/cluster.json is stale: run npm run status:update`);
  });

  for (const { name, dir } of CASES) {
    test(`${name}: the text and the JSON are the recorded ones, with the exit code`, async () => {
      const expectedJson = readFileSync(join(dir, 'status.json'), 'utf8');
      const { exitCode } = JSON.parse(expectedJson) as { exitCode: number };
      const text = await runInProcess(['status', packageOf(dir), '--cluster', join(dir, 'cluster.json')]);
      assert.equal(text.stderr, '');
      assert.equal(text.stdout, readFileSync(join(dir, 'status.txt'), 'utf8'));
      assert.equal(text.status, exitCode);
      const json = await runInProcess(['status', packageOf(dir), '-o', 'json'], { input: dumpOf(dir) });
      assert.equal(json.stdout, expectedJson, 'from stdin too');
      assert.equal(json.status, exitCode);
    });
  }

  test('a YAML dump (kubectl -o yaml) reads as the JSON one', async () => {
    const dir = caseDir('status-daemonset');
    const yamlDump = join(tempDir('status-yaml'), 'cluster.yaml');
    writeFileSync(yamlDump, stringify(JSON.parse(dumpOf(dir))));
    const result = await runInProcess(['status', packageOf(dir), '--cluster', yamlDump]);
    assert.equal(result.stdout, readFileSync(join(dir, 'status.txt'), 'utf8'));
  });
});

describe('status: jobs mode', () => {
  const r = reportOf('status-jobs');

  test('a complete download: its duration from the Job’s start and completion times, and its ready label', () => {
    assert.deepEqual(
      { ...nodeOf(r, 'llama', 'gpu-1'), workload: undefined },
      { node: 'gpu-1', state: 'complete', seconds: 259, ready: true, attention: false, workload: undefined },
    );
  });

  test('a download in progress: which container, since when', () => {
    const n = nodeOf(r, 'llama', 'gpu-2');
    assert.equal(n.state, 'downloading');
    assert.equal(n.step, 'kserve-localmodel-download');
    assert.equal(n.since, '2026-05-01T10:02:05Z');
  });

  test('a failed download: the Job’s reason and the container’s last log lines', () => {
    const n = nodeOf(r, 'qwen', 'gpu-1');
    assert.equal(n.state, 'failed');
    assert.match(n.reason ?? '', /^BackoffLimitExceeded: Job has reached the specified backoff limit; pod qwen-gpu-1-/);
    assert.match(n.reason ?? '', /exited 1 \(Error\): .*\(403\) when calling the HeadObject operation: Forbidden$/);
    assert.ok(n.attention);
  });

  test('complete without its ready label (serveOnlyWhenReady) is not complete, and says why', () => {
    const n = nodeOf(r, 'qwen', 'gpu-2');
    assert.equal(n.state, 'complete');
    assert.equal(n.ready, false);
    assert.match(
      n.reason ?? '',
      /lacks its ready label models\.kserve-localmodel\.dev\/[0-9a-f]{8}\.[0-9a-f]{16}\.[0-9a-f]{8}, so InferenceServices are not placed here/,
    );
    assert.match(n.reason ?? '', /the labeler \(DaemonSet kserve-localmodel-jobs\/labeler-gpu\) sets it/);
    assert.equal(r.caches.find((c) => c.name === 'qwen')?.complete, 0);
  });

  test('a node that joined after the render: missing, no Job reaches it', () => {
    const n = nodeOf(r, 'llama', 'gpu-4');
    assert.equal(n.state, 'missing');
    assert.match(n.reason ?? '', /not in the node inventory of this render .*kserve-localmodel-fn inventory --for DIR/);
  });

  test('a node that left: listed as left, not counted in N/M', () => {
    assert.equal(nodeOf(r, 'llama', 'gpu-3').state, 'left');
    assert.deepEqual(
      r.caches.map((c) => [c.name, c.complete, c.total]),
      [
        ['llama', 1, 3],
        ['qwen', 0, 3],
      ],
    );
  });

  test('a Job of another render on the node: missing, naming the Job the cluster has', () => {
    const renamed = reportOf('status-jobs', (items) =>
      items.map((o) =>
        o.kind === 'Job' && o.metadata?.name?.startsWith('llama-gpu-1-')
          ? { ...o, metadata: { ...o.metadata, name: 'llama-gpu-1-0000000000' } }
          : o,
      ),
    );
    const n = nodeOf(renamed, 'llama', 'gpu-1');
    assert.equal(n.state, 'missing');
    assert.match(
      n.reason ?? '',
      /is not in the cluster \(the cluster has llama-gpu-1-0000000000, of another render\): apply this render/,
    );
  });
});

describe('status: daemonset mode', () => {
  const r = reportOf('status-daemonset');

  test('each model’s own steps: complete with its duration (prepare to finalize), or downloading', () => {
    // The scenario's download takes 198 s; its prepare and finalize steps add 3 s on each side.
    assert.equal(nodeOf(r, 'qwen', 'gpu-1').seconds, 204);
    const n = nodeOf(r, 'qwen', 'gpu-2');
    assert.equal(n.state, 'downloading');
    assert.equal(n.step, 'download-a4a98e82b7e3a4c4');
  });

  test('a failing step: the container’s exit and message; a later step is blocked by it', () => {
    const failed = nodeOf(r, 'llama', 'gpu-3');
    assert.equal(failed.state, 'failed');
    assert.match(
      failed.reason ?? '',
      /exited 1 \(Error\): OSError: \[Errno 28\] No space left on device.*\(now CrashLoopBackOff\)$/,
    );
    assert.match(nodeOf(r, 'qwen', 'gpu-3').reason ?? '', /^blocked by an earlier step that failed: /);
  });

  test('an unschedulable pod: pending, with the scheduler’s reason', () => {
    const n = nodeOf(r, 'llama', 'gpu-4');
    assert.equal(n.state, 'pending');
    assert.match(n.reason ?? '', /cannot be scheduled: Unschedulable: 0\/7 nodes are available: 1 Insufficient memory/);
    assert.ok(n.attention);
  });

  test('a node with a taint the DaemonSet does not tolerate: missing, naming the taint and the fix', () => {
    const n = nodeOf(r, 'llama', 'gpu-5');
    assert.equal(n.state, 'missing');
    assert.match(n.reason ?? '', /taint maintenance=true:NoSchedule is not tolerated\. Add it to tolerations/);
    assert.ok(n.attention);
  });

  test('a node that just joined: missing, no pod yet, and in progress rather than a fault', () => {
    const n = nodeOf(r, 'llama', 'gpu-6');
    assert.equal(n.state, 'missing');
    assert.equal(n.attention, false);
  });

  test('nodes outside the node group are not listed', () => {
    assert.ok(r.caches.every((c) => c.nodeGroups.every((g) => g.nodes.every((n) => n.node !== 'cpu-1'))));
  });

  test('a DaemonSet not applied yet: every node missing', () => {
    const unapplied = reportOf('status-daemonset', (items) => items.filter((o) => o.kind !== 'DaemonSet'));
    assert.ok(
      unapplied.caches.every((c) =>
        c.nodeGroups.every((g) =>
          g.nodes.every((n) => n.state === 'missing' && /is not in the cluster/.test(n.reason ?? '')),
        ),
      ),
    );
  });
});

describe('status: exit codes', () => {
  test('0 when every model is complete on every node of its groups', () => {
    const r = reportOf('status-complete');
    assert.ok(r.complete);
    assert.equal(statusExitCode(r), STATUS_EXIT.complete);
  });

  test('3 while downloads run or wait, and nothing needs a person', () => {
    const r = reportOf('status-daemonset', (items) =>
      items.filter(
        (o) => !['gpu-3', 'gpu-4', 'gpu-5'].includes(String(o.metadata?.name).replace('localmodel-gpu-', '')),
      ),
    );
    assert.equal(r.attention, false);
    assert.equal(statusExitCode(r), STATUS_EXIT.inProgress);
  });

  test('4 when a node needs attention; 1 with a message when the inputs cannot be read; never a stack trace', async () => {
    assert.equal(statusExitCode(reportOf('status-jobs')), STATUS_EXIT.attention);
    const dir = caseDir('status-jobs');
    const notADump = await runInProcess(['status', packageOf(dir)], { input: '{"kind": "List", "items": []}' });
    assert.equal(notADump.status, 1);
    assert.equal(
      notADump.stderr,
      'error: stdin: no Node in the input; give the output of kubectl get nodes,jobs,pods,daemonsets -A -o json (or -o yaml)\n',
    );
    const noPackage = await runInProcess(['status', join(dir, 'nowhere'), '--cluster', join(dir, 'cluster.json')]);
    assert.equal(noPackage.status, 1);
    assert.match(
      noPackage.stderr,
      /is not a folder; give the package folder to render\nerror: status needs a package that renders/,
    );
    assert.doesNotMatch(noPackage.stderr + notADump.stderr, /\n\s+at /);
    const badOutput = await runInProcess(['status', packageOf(dir), '-o', 'yaml']);
    assert.equal(badOutput.status, 2);
    assert.match(badOutput.stderr, /--output is text or json, not "yaml"/);
  });
});

describe('status: the parts', () => {
  test('durations print exactly', () => {
    assert.deepEqual([0, 35, 252, 3725, 90061].map(formatDuration), ['0s', '35s', '4m12s', '1h02m05s', '25h01m01s']);
  });

  test('the pod layout is checked against the rendered DaemonSet: a step it lacks is a bug of ours, said so', () => {
    const ds = compiledPackage(packageOf(caseDir('status-daemonset'))).generated.find((o) => o.kind === 'DaemonSet');
    assert.ok(ds);
    assert.throws(
      () => checkRenderedStep(ds, '0123456789abcdef'),
      /fn\/status\/pod-layout\.ts no longer matches fn\/manifests\//,
    );
  });
});
