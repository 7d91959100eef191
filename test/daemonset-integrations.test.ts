// daemonset mode through every path a user takes: kpt fn render, kustomize build, render and
// render --out, all on the examples switched to downloadMode: daemonset and without a node inventory.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runInProcess } from './support/in-process';
import type { Manifest } from './support/integrations';
import {
  byId,
  copyToTemp,
  EXAMPLES,
  editFile,
  hasKpt,
  kptIn,
  kustomizeBuild,
  parseStream,
  snapshot,
  tempDir,
} from './support/integrations';
import { fullSuiteOnly } from './support/scope';

/** An example package with `downloadMode: daemonset` added to its function config and its inventory removed. */
function daemonSetPackage(example: string, configFile: string): string {
  const dir = copyToTemp(join(EXAMPLES, example), `ds-${example}`);
  editFile(join(dir, configFile), /^spec:\n/m, 'spec:\n  downloadMode: daemonset\n');
  rmSync(join(dir, 'nodes.yaml'));
  const kustomization = join(dir, 'kustomization.yaml');
  if (existsSync(kustomization)) editFile(kustomization, /^ *- nodes\.yaml\n/m, '');
  return dir;
}

const kinds = (objects: Manifest[]) => [...new Set(objects.map((o) => o.kind))].sort();
const generatedOnly = (objects: Manifest[]) =>
  objects.filter((o) => o.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'kserve-localmodel-fn');

describe('daemonset mode through kpt, kustomize, render and render --out', () => {
  test('render prints DaemonSets and no Job, and the summary names them', async () => {
    const dir = daemonSetPackage('kpt', 'fn-config.yaml');
    const rendered = await runInProcess(['render', dir]);
    assert.equal(rendered.status, 0, rendered.stderr);
    const objects = generatedOnly(parseStream(rendered.stdout));
    assert.deepEqual(kinds(objects), ['ConfigMap', 'DaemonSet', 'PersistentVolume', 'PersistentVolumeClaim']);
    assert.match(
      rendered.stderr,
      /node group gpu: 2 models, DaemonSets localmodel-gpu, localmodel-gpu-as-hf-downloader, /,
    );
    assert.doesNotMatch(rendered.stderr, /inventory/);
  });

  test('kpt fn render writes the DaemonSet files, the same objects render --out writes; a second render changes nothing', {
    skip: fullSuiteOnly,
  }, async (t) => {
    if (!hasKpt(t)) return;
    const dir = daemonSetPackage('kpt', 'fn-config.yaml');
    const kpt = kptIn(dir);
    const out = join(tempDir('ds-out'), 'out');
    const rendered = await runInProcess(['render', dir, '--out', out]);
    assert.equal(rendered.status, 0, rendered.stderr);
    const first = kpt('fn', 'render', '--allow-exec');
    assert.equal(first.status, 0, first.stderr);

    const byKpt = snapshot(dir);
    const byRender = snapshot(out);
    const files = [...byKpt.keys()].filter((p) => p.startsWith('generated/'));
    assert.ok(
      files.some((p) => /^generated\/kserve-localmodel-jobs\/daemonset_localmodel-gpu/.test(p)),
      files.join(),
    );
    assert.ok(!files.some((p) => p.includes('/job_')));
    for (const path of files) {
      const twin = byRender.get(path.slice('generated/'.length));
      assert.ok(twin, `render --out lacks ${path}`);
      const [fromKpt] = parseStream(byKpt.get(path) as string);
      delete fromKpt.metadata?.annotations;
      assert.deepEqual(parseStream(twin)[0], fromKpt, path);
    }
    assert.equal(kpt('fn', 'render', '--allow-exec').status, 0);
    assert.deepEqual(snapshot(dir), byKpt);
  });

  test('kustomize build gives the objects render prints', { skip: fullSuiteOnly }, async () => {
    const dir = daemonSetPackage('kustomize', 'localmodel-fn.yaml');
    const built = kustomizeBuild(dir);
    assert.equal(built.status, 0, built.stderr);
    const objects = parseStream(built.stdout);
    assert.ok(objects.some((o) => o.kind === 'DaemonSet'));
    assert.ok(!objects.some((o) => o.kind === 'Job'));
    const rendered = await runInProcess(['render', dir]);
    assert.equal(rendered.status, 0, rendered.stderr);
    assert.deepEqual(byId(objects), byId(parseStream(rendered.stdout)));
  });
});
