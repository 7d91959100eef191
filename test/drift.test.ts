// `render … --nodes LIVE`: the committed inventory against the cluster's nodes, group by group, on
// recorded EKS, GKE and AKS dumps. Drift is a warning; under --strict or --check it is an error.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runInProcess } from './support/in-process';
import type { Manifest } from './support/integrations';
import { snapshot, tempDir } from './support/integrations';
import type { Cloud } from './support/node-dumps';
import { CLOUDS, cloudPackage } from './support/node-dumps';

/** The package with its inventory written by `inventory --for` from the recorded dump: in sync. */
async function syncedPackage(cloud: Cloud): Promise<string> {
  const pkg = cloudPackage(cloud);
  const inventory = await runInProcess(['inventory', cloud.dump, '--for', pkg]);
  assert.equal(inventory.status, 0, inventory.stderr);
  writeFileSync(join(pkg, 'nodes.yaml'), inventory.stdout);
  return pkg;
}

const dumpNodes = (cloud: Cloud): Manifest[] =>
  parseAllDocuments(readFileSync(cloud.dump, 'utf8'), { schema: 'failsafe' })
    .map((doc) => doc.toJS() as Manifest)
    .flatMap((d) => (d.kind === 'List' ? (d.items as Manifest[]) : [d]));

/** The cluster a while later: a GPU node added by the autoscaler, one gone, one moved to another pool. */
function laterCluster(cloud: Cloud): { file: string; added: string; gone: string; moved: string } {
  const nodes = dumpNodes(cloud);
  const [gone, moved] = cloud.gpuNodes;
  const template = structuredClone(nodes.find((n) => n.metadata?.name === moved) as Manifest);
  const added = `${cloud.gpuNodes[0].slice(0, -3)}new`;
  template.metadata = {
    ...template.metadata,
    name: added,
    labels: { ...template.metadata?.labels, 'kubernetes.io/hostname': added },
  };
  const later = nodes
    .filter((n) => n.metadata?.name !== gone)
    .map((n) =>
      n.metadata?.name === moved
        ? { ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, [cloud.poolLabel]: 'other-pool' } } }
        : n,
    );
  const file = join(tempDir(`live-${cloud.name}`), 'nodes.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [template, ...later] }, null, 4));
  return { file, added, gone, moved };
}

const driftLines = (stderr: string) => stderr.split('\n').filter((l) => l.includes('node drift:'));

for (const cloud of CLOUDS) {
  describe(`node drift on ${cloud.name}`, () => {
    test('an inventory written from the cluster has no drift, even under --strict', async () => {
      const result = await runInProcess(['render', await syncedPackage(cloud), '--nodes', cloud.dump, '--strict']);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(driftLines(result.stderr), []);
    });

    test('a node added, one gone and one moved: three warnings naming them; the render still succeeds', async () => {
      const pkg = await syncedPackage(cloud);
      const live = laterCluster(cloud);
      const result = await runInProcess(['render', pkg, '--nodes', live.file]);
      assert.equal(result.status, 0, result.stderr);
      const lines = driftLines(result.stderr);
      assert.equal(lines.length, 3, result.stderr);
      for (const line of lines)
        assert.match(
          line,
          /^warning: LocalModelNodeGroup workers spec\.persistentVolumeSpec\.nodeAffinity: node drift: /,
        );
      const about = (name: string) => lines.filter((l) => l.includes(name));
      assert.match(
        about(live.added)[0],
        /is in node group "workers" but not in the inventory, so it has no download Job; InferenceService pods scheduled there find an empty model folder/,
      );
      assert.match(
        about(live.gone)[0],
        /no longer exists in the cluster; its download Jobs would stay Pending forever/,
      );
      assert.match(about(live.moved)[0], /no longer has the labels of node group "workers"/);
      assert.ok(result.stdout.length > 0, 'a warning does not stop the render');
    });

    test('--strict: drift fails the render and nothing is printed', async () => {
      const result = await runInProcess([
        'render',
        await syncedPackage(cloud),
        '--nodes',
        laterCluster(cloud).file,
        '--strict',
      ]);
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '');
      assert.equal(driftLines(result.stderr).filter((l) => l.startsWith('error: ')).length, 3);
    });
  });
}

describe('node drift with render --out', () => {
  const cloud = CLOUDS[2];
  test('--out writes with drift as a warning; --check fails on drift although OUT is fresh, and writes nothing', async () => {
    const pkg = await syncedPackage(cloud);
    const live = laterCluster(cloud).file;
    const out = join(tempDir('drift-out'), 'rendered');
    const written = await runInProcess(['render', pkg, '--out', out, '--nodes', live]);
    assert.equal(written.status, 0, written.stderr);
    assert.equal(driftLines(written.stderr).length, 3);
    const before = snapshot(out);
    assert.equal((await runInProcess(['render', pkg, '--out', out, '--check'])).status, 0, 'fresh without --nodes');
    const gate = await runInProcess(['render', pkg, '--out', out, '--check', '--nodes', live]);
    assert.equal(gate.status, 1);
    const errors = driftLines(gate.stderr).filter((l) => l.startsWith('error: '));
    assert.equal(errors.length, 3, gate.stderr);
    for (const line of errors) assert.match(line, /\(drift fails --check\)/);
    assert.deepEqual(snapshot(out), before);
  });

  test('--strict --out: drift is an error and nothing is written', async () => {
    const out = join(tempDir('drift-strict'), 'rendered');
    const result = await runInProcess([
      'render',
      await syncedPackage(cloud),
      '--out',
      out,
      '--strict',
      '--nodes',
      laterCluster(cloud).file,
    ]);
    assert.equal(result.status, 1);
    assert.equal(existsSync(out), false);
  });
});

test('a --nodes file that is not a node dump is an error before anything is printed', async () => {
  const bad = join(tempDir('bad-live'), 'pods.json');
  writeFileSync(bad, '{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "p"}}]}');
  const pkg = await syncedPackage(CLOUDS[0]);
  for (const file of [bad, join(pkg, 'missing.json')]) {
    const result = await runInProcess(['render', pkg, '--nodes', file]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: --nodes .*(is not a Node|cannot read it)/m);
  }
});

test('daemonset mode: group sizes only, as notes that never fail', async () => {
  const cloud = CLOUDS[0];
  const pkg = await syncedPackage(cloud);
  const fnConfig = join(pkg, 'fn-config.yaml');
  writeFileSync(fnConfig, `${readFileSync(fnConfig, 'utf8').trimEnd()}\n  downloadMode: daemonset\n`);
  const result = await runInProcess(['render', pkg, '--nodes', laterCluster(cloud).file, '--strict']);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(driftLines(result.stderr), []);
  assert.match(
    result.stderr,
    /^info: LocalModelNodeGroup workers .*node group "workers" has 2 nodes in the cluster; in daemonset mode/m,
  );
});
