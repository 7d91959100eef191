// The wire contract kpt and kustomize hold us to: what goes in and out of the process, byte for byte.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { cache, node, nodeGroup } from './support/fixtures';
import { errors, generated, run, runItems } from './support/harness';
import { runInProcess } from './support/in-process';
import { bundle } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

describe('KRM wire contract', () => {
  it('items is always present, even for an empty list', () => {
    const out = run('apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n');
    assert.match(out.text, /^items: \[\]$/m);
    assert.equal(out.exitCode, 0);
  });

  it('pass-through items keep comments, quoting, key order and every annotation', () => {
    const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
  - kind: ConfigMap   # kind first, on purpose
    apiVersion: v1
    # a comment the user wrote
    metadata:
      name: keep-me
      annotations:
        internal.config.kubernetes.io/path: 'cm.yaml'
        internal.config.kubernetes.io/index: '0'
        internal.config.kubernetes.io/id: '7'
        config.k8s.io/id: '7'
        kustomize.config.k8s.io/id: '1'
    data:
      mode: '0644'
      flag: "yes"
`;
    const out = run(input);
    assert.ok(
      out.text.includes(
        '\n- kind: ConfigMap # kind first, on purpose\n  apiVersion: v1\n  # a comment the user wrote\n  metadata:\n',
      ),
      out.text,
    );
    for (const a of [
      "internal.config.kubernetes.io/id: '7'",
      "config.k8s.io/id: '7'",
      "kustomize.config.k8s.io/id: '1'",
      "mode: '0644'",
      'flag: "yes"',
    ]) {
      assert.ok(out.text.includes(a), `${a} missing`);
    }
  });

  it('status and server-populated metadata are removed from every item', () => {
    const out = runItems([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'x',
          uid: 'u',
          resourceVersion: '1',
          generation: 2,
          creationTimestamp: '2024-01-01T00:00:00Z',
          managedFields: [{}],
        },
        status: { phase: 'x' },
      },
    ]);
    assert.deepEqual(out.items[0], { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  });

  it('input is read as YAML 1.1, as Kubernetes does: 0644 is octal, yes is a boolean', () => {
    const out = run(`apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
  - apiVersion: v1
    kind: Node
    metadata:
      name: gpu-1
      labels: {node-type: gpu, spot: yes}
      annotations: {config.kubernetes.io/local-config: "true"}
  - apiVersion: serving.kserve.io/v1alpha1
    kind: LocalModelNodeGroup
    metadata: {name: workers}
    spec:
      storageLimit: 10Gi
      persistentVolumeClaimSpec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}, storageClassName: local}
      persistentVolumeSpec:
        accessModes: [ReadWriteOnce]
        capacity: {storage: 10Gi}
        local: {path: /models}
        storageClassName: local
        nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: spot, operator: In, values: ["true"]}]}]}}
  - apiVersion: serving.kserve.io/v1alpha1
    kind: LocalModelCache
    metadata: {name: m}
    spec: {sourceModelUri: "s3://m", modelSize: 1Gi, nodeGroups: [workers]}
`);
    assert.equal(generated(out.items).filter((o) => o.kind === 'Job').length, 1, 'label spot: yes means "true"');
  });

  it('strings a YAML 1.1 reader would misread are quoted in generated objects', () => {
    const out = runItems([
      nodeGroup('workers', { 'node-type': ['gpu'] }),
      node('yes', { 'node-type': 'gpu', 'kubernetes.io/hostname': '0755' }),
      cache('m', 's3://m'),
    ]);
    const job = generated(out.items).find((o) => o.kind === 'Job');
    assert.ok(job, 'a Job is generated');
    assert.match(out.text, /node: "yes"|node: 'yes'/);
    assert.match(out.text, /kubernetes\.io\/hostname: "0755"|kubernetes\.io\/hostname: '0755'/);
    const reread = parse(out.text, { version: '1.1' }) as {
      items: { metadata: { labels?: Record<string, unknown> } }[];
    };
    assert.ok(reread.items.some((o) => o.metadata.labels?.node === 'yes'));
  });

  it('no anchors or aliases in output, even where objects share structure', () => {
    const out = runItems([nodeGroup('workers'), node('gpu-1'), node('gpu-2'), cache('m', 's3://m')]);
    assert.doesNotMatch(out.text, /[&*]a\d/);
  });

  it('severity is error, warning or info, never warn', () => {
    const out = runItems([cache('m', 's3://m', ['missing-group'])]);
    assert.ok(out.results.length > 0);
    for (const r of out.results) assert.ok(['error', 'warning', 'info'].includes(r.severity));
    assert.equal(errors(out).length > 0, true);
    assert.equal(out.exitCode, 1);
  });
});

// A pipe's buffer is 64 KiB: the whole output reaching the reader is the process's business.
describe('the built binary', { skip: fullSuiteOnly }, () => {
  it('writes a large output (well over 64 KiB) whole through a real pipe, and exits 0', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => node(`gpu-${String(i).padStart(3, '0')}`));
    const input = JSON.stringify({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [nodeGroup('workers'), ...nodes, cache('m', 's3://m')],
    });
    const child = spawnSync(process.execPath, [bundle()], { input, maxBuffer: 256 * 1024 * 1024 });
    assert.equal(child.status, 0, child.stderr.toString());
    assert.ok(child.stdout.length > 256 * 1024, `only ${child.stdout.length} bytes`);
    const list = parse(child.stdout.toString(), { version: '1.1' }) as { items: unknown[] };
    // The group, the nodes, the cache; a PV and a PVC, the step-scripts ConfigMap and a Job per node.
    assert.equal(list.items.length, 1 + 300 + 1 + 2 + 1 + 300);
  });
});

describe('KRM mode on the command line', () => {
  it('an error result: exit 1, the whole ResourceList on stdout, a human line on stderr, no stack trace', async () => {
    const input = JSON.stringify({
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [cache('m', 's3://m', ['nope'])],
    });
    const result = await runInProcess([], { input });
    assert.equal(result.status, 1);
    const list = parse(result.stdout) as { items: unknown[]; results: { severity: string }[] };
    assert.equal(list.items.length, 1);
    assert.ok(list.results.some((r) => r.severity === 'error'));
    assert.match(result.stderr, /^error: LocalModelCache m spec\.nodeGroups\[0\]: /m);
    assert.doesNotMatch(result.stderr + result.stdout, /\n\s+at /);
  });
});

describe('YAML anchors in the input', () => {
  it('are expanded in the output: no alias reaches kpt or kustomize', () => {
    const out = run(`apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a, labels: &shared {team: ml}}
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: b, labels: *shared}
`);
    assert.doesNotMatch(out.text, /[&*]shared/);
    assert.deepEqual(
      out.items.map((o) => o.metadata?.labels),
      [{ team: 'ml' }, { team: 'ml' }],
    );
  });
});
