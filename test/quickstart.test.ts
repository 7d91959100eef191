// The bundled example, rendered and through the real kpt: what a new user runs first.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runInProcess } from './support/in-process';
import { bundle, hasKpt, kptPackage } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const ROOT = join(__dirname, '..');

describe('examples/quickstart', () => {
  it("npm start prints the quickstart example's manifests: 2 PVs, 2 PVCs, a Job per GPU node wired to hf-downloader", async () => {
    const result = await runInProcess(['render', join(ROOT, 'examples', 'quickstart')]);
    assert.equal(result.status, 0, result.stderr);
    const docs = result.stdout.split(/^---$/m).map((d) => parse(d, { version: '1.1' }));
    const jobs = docs.filter((d) => d.kind === 'Job');
    assert.deepEqual(
      jobs.map((j) => j.spec.template.spec.nodeSelector['kubernetes.io/hostname']),
      ['gpu-node-1', 'gpu-node-2'],
    );
    assert.equal(docs.filter((d) => d.kind === 'PersistentVolume').length, 2);
    assert.equal(docs.filter((d) => d.kind === 'PersistentVolumeClaim').length, 2);
    for (const job of jobs) {
      assert.equal(job.spec.template.spec.serviceAccountName, 'hf-downloader');
      // The finalize step moves the copy into models/<storage key>: c277d78a31bc6624 is KServe's key of the URI.
      assert.equal(job.spec.template.spec.containers[0].name, 'finalize-c277d78a31bc6624');
      assert.deepEqual(job.spec.template.spec.containers[0].args.slice(0, 2), ['/mnt/models', 'c277d78a31bc6624']);
    }
    assert.equal(
      docs.some((d) => d.kind === 'Node' || d.kind === 'Kptfile' || d.kind === 'LocalModelFnConfig'),
      false,
      'no local-config objects',
    );
  });

  it('kpt fn eval --exec writes the generated files into the package', { skip: fullSuiteOnly }, (t) => {
    if (!hasKpt(t)) return;
    const { dir: pkg, kpt } = kptPackage('quickstart');
    const child = kpt('fn', 'eval', pkg, '--exec', bundle(), '--fn-config', join(pkg, 'fn-config.yaml'));
    assert.equal(child.status, 0, child.stderr);
    const jobs = readdirSync(join(pkg, 'generated', 'kserve-localmodel-jobs')).filter((f) => f.startsWith('job_'));
    assert.equal(jobs.length, 2);
    const job = parse(readFileSync(join(pkg, 'generated', 'kserve-localmodel-jobs', jobs[0]), 'utf8'));
    assert.equal(job.metadata.labels.model, 'meta-llama3-8b-instruct');
  });
});

describe('the README walks through examples/quickstart', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A first package'), readme.indexOf('## Requirements'));

  it('every file it shows is the example file, byte for byte', () => {
    // A file's name in bold, then its text in the next yaml block (no other block between).
    const shown = [
      ...section.matchAll(/\*\*`(examples\/quickstart\/[\w.-]+)`\*\*(?:(?!```)[\s\S])*?```yaml\n([\s\S]*?)```/g),
    ];
    assert.deepEqual(
      shown.map(([, path]) => path),
      [
        'examples/quickstart/nodegroup.yaml',
        'examples/quickstart/localmodelcache.yaml',
        'examples/quickstart/inferenceservice.yaml',
        'examples/quickstart/inferenceservice-config.yaml',
      ],
    );
    for (const [, path, text] of shown) assert.equal(text, readFileSync(join(ROOT, path), 'utf8'), path);
  });

  it('the summary it shows is the one render prints', async () => {
    const result = await runInProcess(['render', join(ROOT, 'examples', 'quickstart')]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(section.includes(`\`\`\`\n${result.stderr}\`\`\``), result.stderr);
  });
});
