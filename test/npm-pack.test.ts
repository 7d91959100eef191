// The README's PATH step: the package as `npm pack` makes it, installed into a fresh prefix, runs from
// there by name, with the JSON Schemas beside it for editors. Skipped with a message when npm is absent.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES, findOnPath, parseStream, ROOT, run, tempDir } from './support/integrations';

const npm = findOnPath('npm');

describe('npm pack → npm install -g --prefix: the bin on PATH', { skip: npm ? false : 'npm is not on PATH' }, () => {
  it('packs the bundle, the schemas, the README, the CHANGELOG and the licence, and nothing else', () => {
    const packed = run(npm as string, ['pack', '--dry-run', '--json', '--ignore-scripts']);
    assert.equal(packed.status, 0, packed.stderr);
    const [{ files }] = JSON.parse(packed.stdout) as [{ files: { path: string }[] }];
    const schemas = readdirSync(join(ROOT, 'schemas'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `schemas/${f}`);
    assert.deepEqual(
      files.map((f) => f.path).sort(),
      ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/kserve-localmodel-fn.js', 'package.json', ...schemas].sort(),
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.bin, { 'kserve-localmodel-fn': 'dist/kserve-localmodel-fn.js' });
  });

  it("the build's code generators print on stderr only, so `$(npm pack --silent)` is the tarball's name alone", () => {
    for (const script of ['compile-schemas.mjs', 'compile-steps.mjs']) {
      const generated = run(process.execPath, [join(ROOT, 'scripts', script)]);
      assert.equal(generated.status, 0, generated.stderr);
      assert.equal(generated.stdout, '', `${script} printed on stdout`);
      // `npm test` has just built: an unchanged file keeps its time stamp, or the bundle would look stale.
      assert.match(generated.stderr, /\(unchanged\)\n$/, script);
    }
  });

  it('installs from the tarball, runs by name from the prefix, and ships the schemas', () => {
    const work = tempDir('npm-pack');
    // The bundle is built by `npm test` before the tests run; packing must not rebuild it in parallel.
    const packed = run(npm as string, ['pack', '--ignore-scripts', '--silent', '--pack-destination', work]);
    assert.equal(packed.status, 0, packed.stderr);
    const tarball = join(work, packed.stdout.trim().split('\n').at(-1) as string);

    const prefix = join(work, 'prefix');
    // `yaml` (bundled, but a declared dependency) comes from npm's cache where it can, as after `npm ci`.
    const installed = run(npm as string, [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      tarball,
    ]);
    assert.equal(installed.status, 0, installed.stderr);

    const env = { ...process.env, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}` };
    const rendered = run('kserve-localmodel-fn', ['render', join(EXAMPLES, 'quickstart')], { cwd: work, env });
    assert.equal(rendered.status, 0, rendered.stderr);
    assert.ok(parseStream(rendered.stdout).some((o) => o.kind === 'Job'));

    // The compiled schemas run inside the bundle: a misspelt field is caught by name.
    const checked = run('kserve-localmodel-fn', [], {
      cwd: work,
      env,
      input: `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  apiVersion: fn.kserve-localmodel.dev/v1alpha1\n  kind: LocalModelFnConfig\n  metadata: {name: x}\n  spec: {runAsServiceAcount: true}\n`,
    });
    assert.equal(checked.status, 1);
    assert.match(checked.stderr, /spec\.runAsServiceAcount: unknown field \(did you mean runAsServiceAccount\?\)/);

    const packageDir = join(prefix, 'lib', 'node_modules', 'kserve-localmodel-fn');
    for (const schema of ['function-config.json', 'localmodelcache.json'])
      assert.ok(existsSync(join(packageDir, 'schemas', schema)), `schemas/${schema} is installed`);
    assert.ok(!existsSync(join(packageDir, 'fn')), 'the sources are not shipped, only the bundle');
  });
});
