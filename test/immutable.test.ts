// Warnings before immutable changes: the previous generated objects (kpt passes them back in; render
// --out and --check have the committed files) against the new ones. A field the API server will not
// update is reported with the object, the reason and the safe way through; strict mode makes it an error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { immutableChanges } from '../fn/gitops/immutable';
import type { KObject } from '../fn/krm/objects';
import { fnConfigMap } from './support/fixtures';
import { runInProcess } from './support/in-process';
import { copyToTemp, EXAMPLES, editFile, hasKpt, kptPackage, snapshot, tempDir } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const QUICKSTART = join(EXAMPLES, 'quickstart');
const PV = 'meta-llama3-8b-instruct-workers-download';
const CLAIM = 'meta-llama3-8b-instruct-workers';

/** A second GPU pool added to the node group's affinity: a change the API server refuses on update. */
function addSecondPool(pkg: string): void {
  editFile(join(pkg, 'nodegroup.yaml'), /(\n(\s+)- gpu)$/m, '$1\n$2- gpu-h100');
}

const refusedLines = (stderr: string) =>
  stderr.split('\n').filter((l) => l.includes('the API server refuses the update'));

describe('render --out and --check compare with the committed files', () => {
  test('a second pool in the affinity: a warning per volume naming the field, why, what to delete in which order, and the GitOps options', async () => {
    const pkg = copyToTemp(QUICKSTART, 'immutable');
    const out = join(tempDir('immutable-out'), 'rendered');
    assert.equal((await runInProcess(['render', pkg, '--out', out])).status, 0);
    addSecondPool(pkg);

    const check = await runInProcess(['render', pkg, '--out', out, '--check']);
    assert.equal(check.status, 1, 'stale anyway');
    const lines = refusedLines(check.stderr);
    assert.equal(lines.length, 2, check.stderr);
    const download = lines.find((l) => l.includes(`PersistentVolume ${PV} `)) as string;
    assert.match(
      download,
      /^warning: PersistentVolume meta-llama3-8b-instruct-workers-download spec\.nodeAffinity: spec\.nodeAffinity changes, and the API server refuses the update: the node affinity of a PersistentVolume cannot change once set/,
    );
    assert.ok(
      download.includes(
        `kubectl delete pvc -n kserve-localmodel-jobs ${CLAIM} --wait=false, then kubectl delete pv ${PV}`,
      ),
      download,
    );
    assert.match(download, /new pods of that namespace cannot start until the claim is back/);
    assert.match(download, /argocd\.argoproj\.io\/sync-options: Force=true,Replace=true/);
    assert.match(download, /kustomize\.toolkit\.fluxcd\.io\/force: enabled/);
    assert.match(
      download,
      /\(.*rendered\/_cluster\/persistentvolume_meta-llama3-8b-instruct-workers-download\.yaml\)$/,
    );
    const serving = lines.find((l) =>
      l.includes('PersistentVolume meta-llama3-8b-instruct-workers-default '),
    ) as string;
    assert.ok(serving.includes(`kubectl delete pvc -n default ${CLAIM} --wait=false`), serving);

    const written = await runInProcess(['render', pkg, '--out', out]);
    assert.equal(written.status, 0, 'a warning: the render is written');
    assert.equal(refusedLines(written.stderr).length, 2);
    assert.equal(
      refusedLines((await runInProcess(['render', pkg, '--out', out])).stderr).length,
      0,
      'compared with what is committed now',
    );
  });

  test('--strict: the refused update is an error, and nothing is written', async () => {
    const pkg = copyToTemp(QUICKSTART, 'immutable-strict');
    const out = join(tempDir('immutable-strict-out'), 'rendered');
    assert.equal((await runInProcess(['render', pkg, '--out', out])).status, 0);
    const before = snapshot(out);
    addSecondPool(pkg);
    for (const args of [[], ['--check']]) {
      const result = await runInProcess(['render', pkg, '--out', out, '--strict', ...args]);
      assert.equal(result.status, 1);
      const errors = refusedLines(result.stderr).filter((l) => l.startsWith('error: '));
      assert.equal(errors.length, 2, result.stderr);
      assert.match(errors[0], /strict mode makes this warning an error/);
      assert.doesNotMatch(result.stderr, /^summary:/m, 'no summary of a render that is refused');
      const lines = result.stderr.trimEnd().split('\n');
      assert.ok(
        lines.every((l) => /^(error|warning|info): /.test(l)),
        `every line is a result, in one batch:\n${result.stderr}`,
      );
    }
    assert.deepEqual(snapshot(out), before);
  });

  test('a change the API server accepts (a larger volume capacity, another reclaim policy) gives no warning', async () => {
    const pkg = copyToTemp(QUICKSTART, 'immutable-mutable');
    const out = join(tempDir('immutable-mutable-out'), 'rendered');
    assert.equal((await runInProcess(['render', pkg, '--out', out])).status, 0);
    const path = join(pkg, 'nodegroup.yaml');
    editFile(path, /capacity:\n(\s+)storage: 100Gi/, 'capacity:\n$1storage: 200Gi');
    editFile(path, '  local:\n', '  persistentVolumeReclaimPolicy: Retain\n    local:\n');
    const result = await runInProcess(['render', pkg, '--out', out, '--strict']);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(refusedLines(result.stderr), []);
  });
});

describe('KRM mode compares with the previous output kpt passes back in', () => {
  test('the warning is a result on the previous object, with its file', async () => {
    const items = [
      'nodes.yaml',
      'nodegroup.yaml',
      'localmodelcache.yaml',
      'credentials.yaml',
      'inferenceservice.yaml',
    ].flatMap((f) =>
      readFileSync(join(QUICKSTART, f), 'utf8')
        .split(/^---$/m)
        .map((d) => parse(d)),
    );
    const list = (xs: unknown[]) =>
      stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: xs });
    const first = await runInProcess([], { input: list(items) });
    assert.equal(first.status, 0, first.stderr);
    const previous = parse(first.stdout).items.filter(
      (o: KObject) => o.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'kserve-localmodel-fn',
    );
    const group = items.find((o) => o.kind === 'LocalModelNodeGroup');
    group.spec.persistentVolumeClaimSpec.accessModes = ['ReadWriteOncePod'];
    group.spec.persistentVolumeSpec.accessModes = ['ReadWriteOncePod'];
    const second = await runInProcess([], { input: list([...items, ...previous]) });
    assert.equal(second.status, 0, second.stderr);
    const results = parse(second.stdout).results.filter((r: { message: string }) =>
      /refuses the update/.test(r.message),
    );
    assert.deepEqual(
      results.map((r: { resourceRef: { kind: string; namespace?: string }; field: { path: string } }) => [
        r.resourceRef.kind,
        r.resourceRef.namespace,
        r.field.path,
      ]),
      [
        ['PersistentVolumeClaim', 'default', 'spec.accessModes'],
        ['PersistentVolumeClaim', 'kserve-localmodel-jobs', 'spec.accessModes'],
      ],
      "a volume's access modes may change; a claim's may not",
    );
    assert.match(results[0].file.path, /^generated\/default\/persistentvolumeclaim_/);
    const strict = await runInProcess([], {
      input: stringify({
        apiVersion: 'config.kubernetes.io/v1',
        kind: 'ResourceList',
        items: [...items, ...previous],
        functionConfig: fnConfigMap({ strict: 'true' }),
      }),
    });
    assert.equal(strict.status, 1);
    const kinds = (parse(strict.stdout).items as KObject[]).map((o) => o.kind);
    assert.ok(
      !kinds.includes('Job') && kinds.includes('LocalModelCache'),
      'nothing generated, the input passes through',
    );
  });
});

describe('kpt (real binary) passes the previous output back in', () => {
  test('fn render after a second value in the node affinity: the warning names the generated file; strict=true stops kpt and writes nothing', {
    skip: fullSuiteOnly,
  }, (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    assert.equal(kpt('fn', 'render', '--allow-exec').status, 0);
    editFile(
      join(dir, 'nodegroup.yaml'),
      'values: ["gpu-a100", "gpu-l4"]',
      'values: ["gpu-a100", "gpu-l4", "gpu-h100"]',
    );

    const before = snapshot(dir);
    const strict = kpt('fn', 'eval', '.', '--exec', 'kserve-localmodel-fn', '--', 'strict=true');
    assert.notEqual(strict.status, 0);
    assert.match(strict.stderr + strict.stdout, /spec\.nodeAffinity changes, and the API server refuses the update/);
    assert.deepEqual(snapshot(dir), before, 'nothing written');

    const result = kpt('fn', 'render', '--allow-exec');
    assert.equal(result.status, 0, result.stderr);
    const output = result.stderr + result.stdout;
    assert.match(
      output,
      /PersistentVolume llama3-8b-instruct-gpu-download spec\.nodeAffinity: spec\.nodeAffinity changes, and the API server refuses the update/,
    );
    assert.match(output, /generated\/_cluster\/persistentvolume_llama3-8b-instruct-gpu-download\.yaml/);
  });
});

describe('the rules of each kind (pure)', () => {
  const object = (kind: string, spec: Record<string, unknown>): KObject => ({
    apiVersion: 'v1',
    kind,
    metadata: { name: 'x', namespace: 'ns' },
    spec,
  });
  const fields = (kind: string, before: Record<string, unknown>, after: Record<string, unknown>) =>
    immutableChanges([object(kind, before)], [object(kind, after)]).map((r) => r.field?.path);

  test('PersistentVolume: the source, volumeMode, and nodeAffinity once set; not capacity, class or access modes', () => {
    const pv = { local: { path: '/models' }, capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] };
    assert.deepEqual(fields('PersistentVolume', pv, { ...pv, local: { path: '/data' } }), ['spec.local']);
    assert.deepEqual(fields('PersistentVolume', pv, { ...pv, local: undefined, hostPath: { path: '/models' } }), [
      'spec.local',
    ]);
    assert.deepEqual(fields('PersistentVolume', pv, { ...pv, volumeMode: 'Block' }), ['spec.volumeMode']);
    assert.deepEqual(
      fields('PersistentVolume', pv, { ...pv, volumeMode: 'Filesystem' }),
      [],
      'the default, written out',
    );
    assert.deepEqual(
      fields('PersistentVolume', pv, { ...pv, nodeAffinity: { required: {} } }),
      [],
      'set where there was none',
    );
    const pinned = { ...pv, nodeAffinity: { required: { nodeSelectorTerms: [] } } };
    assert.deepEqual(fields('PersistentVolume', pinned, pv), ['spec.nodeAffinity']);
    assert.deepEqual(
      fields('PersistentVolume', pv, {
        ...pv,
        capacity: { storage: '2Gi' },
        storageClassName: 'x',
        accessModes: ['ReadOnlyMany'],
      }),
      [],
    );
  });

  test('PersistentVolumeClaim: the spec but requests; less storage is refused, more is a warning too', () => {
    const claim = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, volumeName: 'v' };
    assert.deepEqual(fields('PersistentVolumeClaim', claim, { ...claim, storageClassName: 'fast' }), [
      'spec.storageClassName',
    ]);
    assert.deepEqual(fields('PersistentVolumeClaim', claim, { ...claim, volumeName: 'w' }), ['spec.volumeName']);
    assert.deepEqual(
      fields('PersistentVolumeClaim', claim, { ...claim, resources: { requests: { storage: '10240Mi' } } }),
      [],
      'the same size',
    );
    const smaller = immutableChanges(
      [object('PersistentVolumeClaim', claim)],
      [object('PersistentVolumeClaim', { ...claim, resources: { requests: { storage: '5Gi' } } })],
    );
    assert.match(smaller[0].message, /can never ask for less storage/);
    const larger = immutableChanges(
      [object('PersistentVolumeClaim', claim)],
      [object('PersistentVolumeClaim', { ...claim, resources: { requests: { storage: '20Gi' } } })],
    );
    assert.match(larger[0].message, /allowVolumeExpansion, and a local or hostPath volume cannot grow/);
    assert.deepEqual(
      fields('PersistentVolumeClaim', claim, {
        accessModes: ['ReadWriteOnce'],
        volumeName: 'v',
        resources: { requests: { storage: '10Gi' } },
      }),
      [],
      'key order is no change',
    );
  });

  test('DaemonSet: the selector; Jobs (their names hash the whole Job) and other kinds are not compared', () => {
    const job = { template: { spec: { containers: [{ name: 'a' }] } } };
    assert.deepEqual(fields('Job', job, { template: { spec: { containers: [{ name: 'b' }] } } }), []);
    assert.deepEqual(
      fields('DaemonSet', { selector: { matchLabels: { a: '1' } } }, { selector: { matchLabels: { a: '2' } } }),
      ['spec.selector'],
    );
    assert.deepEqual(
      fields('DaemonSet', { selector: {}, template: { a: 1 } }, { selector: {}, template: { a: 2 } }),
      [],
    );
    assert.deepEqual(fields('ConfigMap', { a: 1 }, { a: 2 }), []);
  });
});
