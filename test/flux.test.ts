// Flux and plain Git: `render DIR --out OUT` writes the manifests as files Flux can point at, and
// `--check` is the CI gate that fails while the committed OUT is stale.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { KObject } from '../fn/krm/objects';
import { shortDiff } from '../fn/modes/line-diff';
import { OUTPUT_MARKER } from '../fn/modes/read-package';
import type { OutputState } from '../fn/modes/render-out';
import { compareOutput, KUSTOMIZATION_FILE, planOutput } from '../fn/modes/render-out';
import { runInProcess } from './support/in-process';
import {
  byId,
  copyToTemp,
  EXAMPLES,
  editFile,
  KUSTOMIZE,
  parseStream,
  ROOT,
  run,
  snapshot,
  tempDir,
} from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const EXAMPLE = join(EXAMPLES, 'flux');
const SOURCE = join(EXAMPLE, 'source');

const object = (kind: string, name: string, namespace?: string): KObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('planning OUT (pure)', () => {
  test('one file per object under <namespace or _cluster>/<kind>_<name>.yaml, a kustomization listing them, a marker listing all', () => {
    const plan = planOutput([object('ConfigMap', 'b', 'team-a'), object('PersistentVolume', 'a')], new Map());
    assert.deepEqual(plan.results, []);
    assert.deepEqual([...plan.files.keys()].sort(), [
      '.kserve-localmodel-fn',
      '_cluster/persistentvolume_a.yaml',
      'kustomization.yaml',
      'team-a/configmap_b.yaml',
    ]);
    const kustomization = parse(plan.files.get(KUSTOMIZATION_FILE) as string);
    assert.deepEqual(kustomization.resources, ['_cluster/persistentvolume_a.yaml', 'team-a/configmap_b.yaml']);
    const listed = (plan.files.get(OUTPUT_MARKER) as string).split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(listed, ['_cluster/persistentvolume_a.yaml', 'kustomization.yaml', 'team-a/configmap_b.yaml']);
    assert.deepEqual(parse(plan.files.get('team-a/configmap_b.yaml') as string), object('ConfigMap', 'b', 'team-a'));
  });

  test('a name or namespace that is not a safe file name never leads outside OUT', () => {
    const plan = planOutput([object('ConfigMap', 'a/b', '..'), object('ClusterRole', 'system:view')], new Map());
    assert.ok(plan.files.has('__/configmap_a_b.yaml'), [...plan.files.keys()].join(', '));
    assert.ok(plan.files.has('_cluster/clusterrole_system_view.yaml'));
  });

  test('two objects for one file, or an object without a name, are errors naming the objects', () => {
    const plan = planOutput(
      [
        object('ConfigMap', 'x', 'a'),
        { ...object('ConfigMap', 'x', 'a'), apiVersion: 'other/v1' },
        object('Secret', '', 'a'),
      ],
      new Map(),
    );
    assert.deepEqual(
      plan.results.map((r) => r.severity),
      ['error', 'error'],
    );
    assert.match(
      plan.results[0].message,
      /other\/v1 ConfigMap a\/x and v1 ConfigMap a\/x would both be written to a\/configmap_x\.yaml/,
    );
    assert.match(plan.results[1].message, /has no metadata\.name/);
  });
});

describe('comparing OUT with the plan (pure)', () => {
  const plan = new Map([
    ['a.yaml', 'A2\n'],
    ['b.yaml', 'B\n'],
    ['new.yaml', 'N\n'],
    [OUTPUT_MARKER, 'marker\n'],
  ]);
  const state = (owned: string[] | undefined, files: Record<string, string>): OutputState => ({
    owned: owned && new Set(owned),
    ignoredLines: [],
    files: new Map(Object.entries(files)),
    blocked: new Map(),
  });

  test('added, changed and removed files; an unchanged file is only counted', () => {
    const comparison = compareOutput(
      plan,
      state(['a.yaml', 'b.yaml', 'old.yaml'], {
        'a.yaml': 'A1\n',
        'b.yaml': 'B\n',
        'old.yaml': 'O\n',
        [OUTPUT_MARKER]: 'marker\n',
      }),
    );
    assert.deepEqual(
      comparison.changes.map((c) => [c.kind, c.path]),
      [
        ['changed', 'a.yaml'],
        ['added', 'new.yaml'],
        ['removed', 'old.yaml'],
      ],
    );
    assert.equal(comparison.unchanged, 2);
  });

  test("a file the marker does not list is someone else's: a conflict, unless it already holds the planned text", () => {
    const comparison = compareOutput(plan, state(undefined, { 'a.yaml': 'hand-written\n', 'b.yaml': 'B\n' }));
    assert.deepEqual(
      comparison.changes.map((c) => [c.kind, c.path]),
      [
        ['added', OUTPUT_MARKER],
        ['conflict', 'a.yaml'],
        ['added', 'new.yaml'],
      ],
    );
  });
});

describe('shortDiff', () => {
  test('shows the one span that differs, with its position', () => {
    assert.deepEqual(shortDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\n'), ['@@ -2,1 +2,1 @@', '-b', '+B']);
    assert.deepEqual(shortDiff('a\n', 'a\nb\n'), ['@@ -2,0 +2,1 @@', '+b']);
    assert.deepEqual(shortDiff('same\n', 'same\n'), []);
  });

  test('cuts each side after maxLines lines and says how many were left out', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const lines = shortDiff(before, '', 3);
    assert.deepEqual(lines, ['@@ -1,20 +1,0 @@', '-line 0', '-line 1', '-line 2', '-… 17 more lines']);
  });
});

describe('render DIR --out OUT (real files)', () => {
  const render = (source: string, out: string, ...extra: string[]) =>
    runInProcess(['render', source, '--out', out, ...extra]);

  test('writes one file per manifest with a kustomization.yaml; a second run changes no byte', async () => {
    const out = join(tempDir('flux'), 'rendered');
    const first = await render(SOURCE, out);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /wrote .*rendered: 23 added, 0 changed, 0 removed, 0 unchanged/);
    const written = snapshot(out);
    // A Job's name ends in a hash of its spec: match the name, not the hash.
    assert.ok(
      [...written.keys()].some((p) =>
        /^kserve-localmodel-jobs\/job_qwen2-5-7b-instruct-gpu-1-[0-9a-f]{10}\.yaml$/.test(p),
      ),
    );
    assert.ok(written.has('team-a/persistentvolumeclaim_qwen2-5-7b-instruct-gpu.yaml'), 'servingNamespaces');
    assert.ok(![...written.keys()].some((p) => p.includes('inferenceservice_')), 'InferenceServices are in serving/');
    assert.ok(
      ![...written.keys()].some((p) => p.includes('node_') || p.includes('localmodelfnconfig')),
      'no local-config object is written',
    );

    const second = await render(SOURCE, out);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /0 added, 0 changed, 0 removed, 23 unchanged/);
    assert.deepEqual(snapshot(out), written);
  });

  test('OUT is what Flux applies: plain `kustomize build` of OUT/_first and OUT gives the objects `render` prints', {
    skip: fullSuiteOnly,
  }, async () => {
    const out = join(tempDir('flux-kustomize'), 'rendered');
    assert.equal((await render(SOURCE, out)).status, 0);
    const built = [join(out, '_first'), out].flatMap((folder) => {
      const result = run(KUSTOMIZE, ['build', folder]);
      assert.equal(result.status, 0, result.stderr);
      return parseStream(result.stdout);
    });
    const printed = await runInProcess(['render', SOURCE]);
    assert.deepEqual(byId(built), byId(parseStream(printed.stdout)));
  });

  test('--check: exit 0 while fresh; exit 1 with added, changed and removed files and the changed lines when stale', async () => {
    const source = copyToTemp(SOURCE, 'flux-check');
    const out = join(tempDir('flux-check-out'), 'rendered');
    assert.equal((await render(source, out)).status, 0);
    const fresh = await render(source, out, '--check');
    assert.equal(fresh.status, 0, fresh.stderr);
    assert.match(fresh.stderr, /rendered is up to date \(23 files\)/);

    editFile(join(source, 'models.yaml'), 'modelSize: 16Gi', 'modelSize: 18Gi');
    editFile(join(source, 'nodes.yaml'), /---\napiVersion: v1\nkind: Node\nmetadata:\n {2}name: gpu-2[\s\S]*$/, '');
    const before = snapshot(out);
    const stale = await render(source, out, '--check');
    assert.equal(stale.status, 1);
    assert.deepEqual(snapshot(out), before, '--check writes nothing');
    assert.match(
      stale.stderr,
      /rendered is stale: 0 added, 3 changed, 2 removed\. Run `kserve-localmodel-fn render .* --out .*` and commit the result\./,
    );
    assert.match(
      stale.stderr,
      /changed: .*_cluster\/localmodelcache_qwen2-5-7b-instruct\.yaml\n {6}@@ -\d+,1 \+\d+,1 @@\n {6}- {2}modelSize: 16Gi\n {6}\+ {2}modelSize: 18Gi/,
    );
    assert.match(stale.stderr, /removed: .*kserve-localmodel-jobs\/job_qwen2-5-7b-instruct-gpu-2-[0-9a-f]{10}\.yaml/);
    assert.match(stale.stderr, /changed: .*kustomization\.yaml/);
  });

  test('files no longer produced are removed, empty folders too; files it did not write are never touched', async () => {
    const source = copyToTemp(SOURCE, 'flux-prune');
    const out = join(tempDir('flux-prune-out'), 'rendered');
    mkdirSync(join(out, '_cluster'), { recursive: true });
    writeFileSync(join(out, 'README.md'), 'hand-written\n');
    writeFileSync(join(out, '_cluster', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
    assert.equal((await render(source, out)).status, 0);

    editFile(join(source, 'fn-config.yaml'), /servingNamespaces:[\s\S]*$/, 'servingNamespaces: []\n');
    const result = await render(source, out);
    assert.equal(result.status, 0, result.stderr);
    // Changed: both kustomizations (the serving volume was in _first/'s) and the marker.
    assert.match(result.stderr, /0 added, 3 changed, 2 removed/);
    assert.ok(!existsSync(join(out, 'team-a')), 'team-a/ held only the serving claim');
    assert.ok(!existsSync(join(out, '_first', '_cluster', 'persistentvolume_qwen2-5-7b-instruct-gpu-team-a.yaml')));
    assert.equal(readFileSync(join(out, 'README.md'), 'utf8'), 'hand-written\n');
    assert.ok(existsSync(join(out, '_cluster', 'extra.yaml')), 'a file it did not write stays');
    assert.ok(!readFileSync(join(out, OUTPUT_MARKER), 'utf8').includes('team-a/'));
  });

  test('a file it did not write at a path it needs: exit 1, the file untouched', async () => {
    const out = join(tempDir('flux-conflict'), 'rendered');
    mkdirSync(join(out, 'team-a'), { recursive: true });
    writeFileSync(join(out, 'team-a', 'persistentvolumeclaim_qwen2-5-7b-instruct-gpu.yaml'), '# mine\n');
    const result = await render(SOURCE, out);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /persistentvolumeclaim_qwen2-5-7b-instruct-gpu\.yaml exists and was not written by kserve-localmodel-fn .*; move it away or choose another --out folder/,
    );
    assert.equal(
      readFileSync(join(out, 'team-a', 'persistentvolumeclaim_qwen2-5-7b-instruct-gpu.yaml'), 'utf8'),
      '# mine\n',
    );
    assert.ok(!existsSync(join(out, OUTPUT_MARKER)));
  });

  test('a marker line pointing outside OUT is ignored with a warning, and nothing outside is deleted', async () => {
    const root = tempDir('flux-marker');
    const out = join(root, 'rendered');
    assert.equal((await render(SOURCE, out)).status, 0);
    writeFileSync(join(root, 'precious.yaml'), 'keep\n');
    writeFileSync(join(out, OUTPUT_MARKER), `${readFileSync(join(out, OUTPUT_MARKER), 'utf8')}../precious.yaml\n`);
    const result = await render(SOURCE, out);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /warning: .* lists "\.\.\/precious\.yaml", which is not a relative path inside .*; ignored/,
    );
    assert.equal(readFileSync(join(root, 'precious.yaml'), 'utf8'), 'keep\n');
  });

  test('OUT inside the package is output, never input; OUT that is or holds the package is refused', async () => {
    const source = copyToTemp(SOURCE, 'flux-inside');
    const out = join(source, 'rendered');
    assert.equal((await render(source, out)).status, 0);
    const again = await render(source, out, '--check');
    assert.equal(again.status, 0, again.stderr);
    assert.equal((await runInProcess(['render', source])).status, 0, 'a plain render skips the folder --out wrote');
    for (const bad of [source, join(source, '..')]) {
      const refused = await render(source, bad);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /is the package folder .* or contains it/);
    }
  });

  test('the committed example is fresh: the CI job of examples/flux passes on this repository', async () => {
    const workflow = parse(readFileSync(join(EXAMPLE, 'ci-check-rendered.yaml'), 'utf8'));
    const step = workflow.jobs.check.steps.find((s: { run?: string }) => s.run?.includes('--check'));
    const words: string[] = step.run.trim().split(/\s+/);
    const args = words.slice(words.indexOf('render'));
    const result = await runInProcess(args, { cwd: ROOT });
    assert.equal(
      result.status,
      0,
      `${result.stderr}\nexamples/flux/rendered is stale: run node dist/kserve-localmodel-fn.js render examples/flux/source --out examples/flux/rendered`,
    );
  });
});
