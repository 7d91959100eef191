// Apply order: an InferenceService applied before its LocalModelCache never uses the cache (KServe's
// webhook looks caches up only on create or update). Argo CD: the opt-in argocdSyncWave puts caches
// and node groups in an earlier wave of what `render` prints. Flux: the example's two Kustomizations,
// the InferenceServices' depending on the caches'.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { runInProcess } from './support/in-process';
import type { Manifest } from './support/integrations';
import { copyToTemp, EXAMPLES, editFile, KUSTOMIZE, parseStream, run, snapshot, tempDir } from './support/integrations';

const WAVE = 'argocd.argoproj.io/sync-wave';
const ARGO_APP = join(EXAMPLES, 'argocd', 'app');
const waveOf = (o: Manifest) => o.metadata?.annotations?.[WAVE];

describe('argocdSyncWave (Argo CD)', () => {
  test("the example's caches and node group are printed in wave -1, InferenceServices and generated objects are untouched, the sources too", async () => {
    const app = copyToTemp(ARGO_APP, 'wave');
    const before = snapshot(app);
    const result = await runInProcess(['render', '--argocd', app]);
    assert.equal(result.status, 0, result.stderr);
    const objects = parseStream(result.stdout);
    const waves = objects.map((o) => [o.kind, waveOf(o)]);
    for (const [kind, wave] of waves) {
      if (kind === 'LocalModelCache' || kind === 'LocalModelNodeGroup') assert.equal(wave, '-1', `${kind}`);
      else assert.equal(wave, undefined, `${kind}`);
    }
    assert.ok(waves.some(([kind]) => kind === 'InferenceService'));
    assert.deepEqual(snapshot(app), before, 'the package files are never changed');
  });

  test('a wave the author set is kept; the comments of the source survive in the printed copy', async () => {
    const app = copyToTemp(ARGO_APP, 'wave-own');
    editFile(
      join(app, 'models.yaml'),
      /metadata:\n {2}name: granite-3-1-8b-instruct\n/,
      `metadata:\n  name: granite-3-1-8b-instruct\n  annotations:\n    ${WAVE}: "-5" # mine\n`,
    );
    const result = await runInProcess(['render', app]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /argocd\.argoproj\.io\/sync-wave: "-5" # mine/);
    assert.equal(waveOf(parseStream(result.stdout).find((o) => o.kind === 'LocalModelNodeGroup') as Manifest), '-1');
  });

  test('an InferenceService in the same or an earlier wave is a warning (an error under --strict)', async () => {
    const app = copyToTemp(ARGO_APP, 'wave-isvc');
    editFile(join(app, 'inferenceservice.yaml'), /(metadata:\n)/, `$1  annotations:\n    ${WAVE}: "-1"\n`);
    const lenient = await runInProcess(['render', app]);
    assert.equal(lenient.status, 0, lenient.stderr);
    assert.match(
      lenient.stderr,
      /^warning: InferenceService .* is in sync wave -1, not after the caches' wave -1 \(argocdSyncWave\)/m,
    );
    const strict = await runInProcess(['render', app, '--strict']);
    assert.equal(strict.status, 1);
    assert.equal(strict.stdout, '');
  });

  test('render --out writes the wave into its files; KRM mode leaves every item as written', async () => {
    const app = copyToTemp(ARGO_APP, 'wave-out');
    const out = join(tempDir('wave-out'), 'rendered');
    assert.equal((await runInProcess(['render', app, '--out', out])).status, 0);
    assert.equal(
      parse(readFileSync(join(out, '_cluster', 'localmodelnodegroup_gpu.yaml'), 'utf8')).metadata.annotations[WAVE],
      '-1',
    );

    const items = ['models.yaml', 'nodegroup.yaml', 'nodes.yaml', 'inferenceservice.yaml', 'fn-config.yaml'].flatMap(
      (f) => parseAllDocuments(readFileSync(join(app, f), 'utf8')).map((d) => d.toJS()),
    );
    const krm = await runInProcess([], {
      input: stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items }),
    });
    assert.equal(krm.status, 0, krm.stderr);
    assert.ok(!krm.stdout.includes(WAVE), 'kpt and kustomize write back what the author wrote');
  });
});

describe('Flux: the InferenceServices depend on the caches, the rest on the admission policy and serving volumes', () => {
  const flux = join(EXAMPLES, 'flux');
  // kustomize takes about a second a build: each folder is built once for the tests that read it.
  const builds = new Map<string, Manifest[]>();
  const build = (path: string): Manifest[] => {
    let objects = builds.get(path);
    if (!objects) {
      const result = run(KUSTOMIZE, ['build', join(flux, path)]);
      assert.equal(result.status, 0, result.stderr);
      objects = parseStream(result.stdout);
      builds.set(path, objects);
    }
    return structuredClone(objects);
  };
  const kustomizations = parseAllDocuments(readFileSync(join(flux, 'flux-kustomization.yaml'), 'utf8')).map((d) =>
    d.toJS(),
  );

  test('three Kustomizations: serving/ depends on rendered/, which depends on rendered/_first', () => {
    const byPath = new Map(kustomizations.map((k) => [k.spec.path, k]));
    const first = byPath.get('./examples/flux/rendered/_first');
    const caches = byPath.get('./examples/flux/rendered');
    const serving = byPath.get('./examples/flux/serving');
    assert.ok(first && caches && serving, [...byPath.keys()].join(', '));
    assert.deepEqual(serving.spec.dependsOn, [{ name: caches.metadata.name }]);
    assert.deepEqual(caches.spec.dependsOn, [{ name: first.metadata.name }]);
    assert.equal(first.spec.dependsOn, undefined);
  });

  test("serveOnlyWhenReady: rendered/_first holds the admission policy, its binding and the serving volumes, and rendered/ none of them but the labeler's RBAC and pods", () => {
    const first = build('rendered/_first');
    const rest = build('rendered');
    assert.deepEqual(first.map((o) => o.kind).sort(), [
      'PersistentVolume',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]);
    assert.ok(first.every((o) => o.kind !== 'PersistentVolume' || !o.metadata?.name?.endsWith('-download')));
    const names = (objects: Manifest[]) => new Set(objects.map((o) => `${o.kind}/${o.metadata?.name}`));
    const overlap = [...names(first)].filter((n) => names(rest).has(n));
    assert.deepEqual(overlap, [], 'no object in two Kustomizations');
    for (const kind of ['ClusterRoleBinding', 'DaemonSet', 'LocalModelCache'])
      assert.ok(
        rest.some((o) => o.kind === kind),
        `${kind} in rendered/`,
      );
  });

  test('rendered/ holds the caches and no InferenceService; serving/ holds only InferenceServices, whose serving claims rendered/ has', () => {
    const rendered = build('rendered');
    const serving = build('serving');
    assert.ok(rendered.some((o) => o.kind === 'LocalModelCache'));
    assert.ok(!rendered.some((o) => o.kind === 'InferenceService'));
    assert.ok(serving.length > 0 && serving.every((o) => o.kind === 'InferenceService'));
    for (const isvc of serving) {
      const claims = rendered.filter(
        (o) => o.kind === 'PersistentVolumeClaim' && o.metadata?.namespace === isvc.metadata?.namespace,
      );
      assert.equal(claims.length, 1, `the serving claim of ${isvc.metadata?.namespace} comes from servingNamespaces`);
    }
  });
});
