// kpt, the real binary: `kpt fn render --allow-exec` from inside examples/kpt, and `kpt fn eval --exec`.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { runInProcess } from './support/in-process';
import type { Manifest } from './support/integrations';
import { editFile, hasKpt, kptPackage, parseStream, snapshot, tempDir } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const USER_FILES = [
  'Kptfile',
  'credentials.yaml',
  'fn-config.yaml',
  'inferenceservice.yaml',
  'models.yaml',
  'nodegroup.yaml',
  'nodes.yaml',
];

const GENERATED = [
  'generated/_cluster/persistentvolume_llama3-8b-instruct-gpu-download.yaml',
  'generated/_cluster/persistentvolume_llama3-8b-instruct-gpu-team-a.yaml',
  'generated/_cluster/persistentvolume_qwen2-5-0-5b-instruct-gpu-download.yaml',
  'generated/kserve-localmodel-jobs/persistentvolumeclaim_llama3-8b-instruct-gpu.yaml',
  'generated/kserve-localmodel-jobs/persistentvolumeclaim_qwen2-5-0-5b-instruct-gpu.yaml',
  'generated/team-a/persistentvolumeclaim_llama3-8b-instruct-gpu.yaml',
];

const jobFiles = (files: Map<string, string>) =>
  [...files.keys()].filter((p) => p.startsWith('generated/kserve-localmodel-jobs/job_'));

describe('kpt (real binary)', { skip: fullSuiteOnly }, () => {
  test('fn render --allow-exec writes the generated files and leaves every user file byte for byte', (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    const before = snapshot(dir);
    const result = kpt('fn', 'render', '--allow-exec');
    assert.equal(result.status, 0, result.stderr);

    const after = snapshot(dir);
    for (const file of USER_FILES)
      assert.equal(after.get(file), before.get(file), `${file} changed: comments or field order lost`);
    for (const file of GENERATED) assert.ok(after.has(file), `missing ${file}`);
    const jobs = jobFiles(after);
    assert.equal(jobs.length, 4, `two models on two GPU nodes: ${jobs.join(', ')}`);
    for (const file of [...GENERATED, ...jobs]) {
      const object = parse(after.get(file) as string) as Manifest;
      assert.equal(object.metadata?.labels?.['app.kubernetes.io/managed-by'], 'kserve-localmodel-fn', file);
    }
    const job = parse(after.get(jobs.find((j) => j.includes('llama3-8b-instruct-gpu-a')) as string) as string);
    assert.deepEqual(job.spec.template.spec.nodeSelector, { 'kubernetes.io/hostname': 'gpu-a' });
    assert.deepEqual(job.spec.template.spec.tolerations, [
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  test('a second fn render changes no byte of any file', (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    assert.equal(kpt('fn', 'render', '--allow-exec').status, 0);
    const first = snapshot(dir);
    const again = kpt('fn', 'render', '--allow-exec');
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(snapshot(dir), first);
  });

  test('createJobNamespace: four renders in a row, the package byte-identical after the first', (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    editFile(join(dir, 'fn-config.yaml'), 'outputDir: generated', 'outputDir: generated\n  createJobNamespace: true');
    const namespaceFile = 'generated/_cluster/namespace_kserve-localmodel-jobs.yaml';
    const snapshots = [1, 2, 3, 4].map((n) => {
      const result = kpt('fn', 'render', '--allow-exec');
      assert.equal(result.status, 0, `render ${n}: ${result.stderr}`);
      const files = snapshot(dir);
      assert.ok(files.has(namespaceFile), `render ${n} lost the generated Namespace`);
      assert.doesNotMatch(result.stderr, /kept as written/, `render ${n} took the generated Namespace for the user's`);
      return files;
    });
    for (const [i, files] of snapshots.entries()) assert.deepEqual(files, snapshots[0], `render ${i + 1}`);
  });

  test('user files come back exactly as kpt writes them with a function that changes nothing (cat)', (t) => {
    if (!hasKpt(t)) return;
    // kpt itself drops blank lines, refolds `>-` scalars and doubles a comment at the very end of a
    // file; the function must add nothing to that, wherever the comments are.
    const bin = tempDir('cat');
    writeFileSync(join(bin, 'identity'), '#!/bin/sh\nexec cat\n', { mode: 0o755 });
    const tricky = readFileSync(join(__dirname, 'fixtures', 'kpt-comments.yaml'), 'utf8');

    const ours = kptPackage();
    writeFileSync(join(ours.dir, 'comments.yaml'), tricky);
    assert.equal(ours.kpt('fn', 'render', '--allow-exec').status, 0);

    const identity = kptPackage('kpt', { identity: join(bin, 'identity') });
    writeFileSync(join(identity.dir, 'comments.yaml'), tricky);
    editFile(join(identity.dir, 'Kptfile'), 'exec: kserve-localmodel-fn', 'exec: identity');
    assert.equal(identity.kpt('fn', 'render', '--allow-exec').status, 0);

    const mine = snapshot(ours.dir);
    const reference = snapshot(identity.dir);
    for (const file of [...USER_FILES.filter((f) => f !== 'Kptfile'), 'comments.yaml']) {
      assert.equal(mine.get(file), reference.get(file), file);
    }
    assert.match(mine.get('comments.yaml') as string, / {2}# before a key that follows a list\n {2}after: true/);
  });

  test('a node removed from the inventory takes its download Jobs with it on the next render', (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    assert.equal(kpt('fn', 'render', '--allow-exec').status, 0);
    editFile(join(dir, 'nodes.yaml'), /---\napiVersion: v1\nkind: Node\nmetadata:\n {2}name: gpu-b[\s\S]*?(?=---)/, '');
    const result = kpt('fn', 'render', '--allow-exec');
    assert.equal(result.status, 0, result.stderr);
    const jobs = jobFiles(snapshot(dir));
    assert.equal(jobs.length, 2, jobs.join(', '));
    assert.ok(
      jobs.every((j) => j.includes('-gpu-a-')),
      jobs.join(', '),
    );
  });

  test('fn eval --exec takes a ConfigMap function config from the command line', (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    const result = kpt(
      'fn',
      'eval',
      '.',
      '--exec',
      'kserve-localmodel-fn',
      '--',
      'jobTTLSecondsAfterFinished=900',
      'outputDir=rendered-by-eval',
    );
    assert.equal(result.status, 0, result.stderr);
    const jobs = [...snapshot(dir).entries()].filter(([p]) =>
      p.startsWith('rendered-by-eval/kserve-localmodel-jobs/job_'),
    );
    assert.equal(jobs.length, 4);
    for (const [, text] of jobs) assert.equal(parse(text).spec.ttlSecondsAfterFinished, 900);
    // The package's fn-config.yaml (its tolerations) is replaced, and kpt shows the warning that says so.
    assert.match(result.stderr + result.stdout, /replaces this LocalModelFnConfig/);
  });

  test("fn eval --exec --fn-config with the package's own config: its settings apply, no warning", (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    const result = kpt('fn', 'eval', '.', '--exec', 'kserve-localmodel-fn', '--fn-config', 'fn-config.yaml');
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr + result.stdout, /replaces this LocalModelFnConfig/);
    const jobs = jobFiles(snapshot(dir));
    assert.ok(jobs.length > 0);
    const fnConfig = parse(readFileSync(join(dir, 'fn-config.yaml'), 'utf8'));
    for (const path of jobs)
      assert.deepEqual(
        parse(readFileSync(join(dir, path), 'utf8')).spec.template.spec.tolerations,
        fnConfig.spec.tolerations,
      );
  });

  test('an error result makes kpt fail, print the message, and write nothing', (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    writeFileSync(
      join(dir, 'orphan.yaml'),
      'apiVersion: serving.kserve.io/v1alpha1\nkind: LocalModelCache\nmetadata:\n  name: orphan\nspec:\n  sourceModelUri: hf://org/model\n  modelSize: 1Gi\n  nodeGroups: [nowhere]\n',
    );
    const before = snapshot(dir);
    const result = kpt('fn', 'render', '--allow-exec');
    assert.notEqual(result.status, 0);
    assert.match(result.stderr + result.stdout, /names node group "nowhere", which is not in the input/);
    assert.deepEqual(snapshot(dir), before);
  });

  test('kpt users and render --out users get the same files with the same objects', async (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    const out = join(tempDir('kpt-out'), 'out');
    const rendered = await runInProcess(['render', dir, '--out', out]);
    assert.equal(rendered.status, 0, rendered.stderr);
    assert.equal(kpt('fn', 'render', '--allow-exec').status, 0);

    const byKpt = snapshot(dir);
    const byRender = snapshot(out);
    const generated = [...byKpt.keys()].filter((p) => p.startsWith('generated/'));
    assert.equal(generated.length, 11);
    for (const path of generated) {
      const twin = byRender.get(path.slice('generated/'.length));
      assert.ok(twin, `render --out lacks ${path}`);
      const [fromKpt] = parseStream(byKpt.get(path) as string);
      const [fromRender] = parseStream(twin);
      delete fromKpt.metadata?.annotations;
      assert.deepEqual(fromRender, fromKpt, path);
    }
  });
});
