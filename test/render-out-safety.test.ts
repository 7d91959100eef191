// `render --out` writes only plain files it owns, under plain folders of the real OUT, and plans every
// write before the first one: a link, a file where a folder is needed (or the reverse) or a name
// clash stops it with OUT exactly as it was. Every case runs on real folders: in process
// (test/support/in-process.ts), but for the failed write, which needs another user and so the built binary.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { OUTPUT_MARKER } from '../fn/modes/read-package';
import { KUSTOMIZATION_FILE } from '../fn/modes/render-out';
import { runInProcess } from './support/in-process';
import { bundle, fileTree, findOnPath, run, tempDir, unprivilegedUnavailable } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const configMap = (name: string, namespace: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  key: value\n`;

/** A package of two ConfigMaps (team-a/settings, team-b/other), OUT beside it, and a folder outside both. */
function setup(prefix: string) {
  const root = tempDir(prefix);
  const source = join(root, 'source');
  mkdirSync(source);
  writeFileSync(join(source, 'a.yaml'), configMap('settings', 'team-a'));
  writeFileSync(join(source, 'b.yaml'), configMap('other', 'team-b'));
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'precious.yaml'), 'keep me\n');
  const out = join(root, 'rendered');
  const render = (...extra: string[]) => runInProcess(['render', source, '--out', out, ...extra]);
  return { root, source, out, outside, render };
}

type Setup = ReturnType<typeof setup>;

/** Renders after `arrange`, expecting a refusal that matches `message` and no change anywhere. */
async function assertRefusedUnchanged(s: Setup, message: RegExp, status = 1) {
  const before = fileTree(s.root);
  const result = await s.render();
  assert.equal(result.status, status, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
  assert.deepEqual(fileTree(s.root), before, 'nothing in OUT, the package or outside changed');
  return result;
}

describe('render --out and symbolic links', () => {
  test('a link at a manifest path, to a file outside OUT: exit 1, the file outside untouched', async () => {
    const s = setup('link-manifest');
    mkdirSync(join(s.out, 'team-a'), { recursive: true });
    symlinkSync(join(s.outside, 'precious.yaml'), join(s.out, 'team-a', 'configmap_settings.yaml'));
    await assertRefusedUnchanged(
      s,
      /team-a\/configmap_settings\.yaml is a symbolic link; render --out never writes or deletes through a link/,
    );
    const check = await s.render('--check');
    assert.equal(check.status, 1, '--check reads no file through a link either');
    assert.match(check.stderr, /configmap_settings\.yaml is a symbolic link/);
  });

  test('a link where a file of the last render was (listed in the ledger): exit 1, nothing written through it', async () => {
    const s = setup('link-owned');
    assert.equal((await s.render()).status, 0);
    const file = join(s.out, 'team-a', 'configmap_settings.yaml');
    rmSync(file);
    symlinkSync(join(s.outside, 'precious.yaml'), file);
    writeFileSync(join(s.source, 'a.yaml'), configMap('settings', 'team-a').replace('value', 'changed'));
    await assertRefusedUnchanged(s, /configmap_settings\.yaml is a symbolic link/);
  });

  test('a link at the ledger or at kustomization.yaml: exit 1, the target untouched', async () => {
    for (const name of [OUTPUT_MARKER, KUSTOMIZATION_FILE]) {
      const s = setup('link-ledger');
      mkdirSync(s.out);
      symlinkSync(join(s.outside, 'precious.yaml'), join(s.out, name));
      await assertRefusedUnchanged(s, new RegExp(`${name.replaceAll('.', '\\.')} is a symbolic link`));
    }
  });

  test('a folder of OUT replaced by a link: no write into it, no file deleted through it', async () => {
    const s = setup('link-folder');
    assert.equal((await s.render()).status, 0);
    // team-b/ becomes a link to a folder outside that holds a file of the same name as the one to remove.
    rmSync(join(s.out, 'team-b'), { recursive: true });
    writeFileSync(join(s.outside, 'configmap_other.yaml'), 'a user file\n');
    symlinkSync(s.outside, join(s.out, 'team-b'));
    rmSync(join(s.source, 'b.yaml'));
    await assertRefusedUnchanged(s, /team-b is a symbolic link; render --out never writes or deletes through a link/);
    // The same with the link pointing inside OUT: a link is never followed, wherever it leads.
    rmSync(join(s.out, 'team-b'));
    mkdirSync(join(s.out, 'elsewhere'));
    writeFileSync(join(s.out, 'elsewhere', 'configmap_other.yaml'), 'a user file\n');
    symlinkSync('elsewhere', join(s.out, 'team-b'));
    await assertRefusedUnchanged(s, /team-b is a symbolic link/);
  });

  test('OUT a link to the package, or to a folder holding it: exit 2, nothing written into the package', async () => {
    const s = setup('link-out');
    symlinkSync(s.source, s.out);
    await assertRefusedUnchanged(s, /--out .*rendered is the package folder .* or contains it \(links followed\)/, 2);
    rmSync(s.out);
    symlinkSync(s.root, s.out);
    await assertRefusedUnchanged(s, /is the package folder .* or contains it/, 2);
  });

  test('an OUT that cannot be made (a file, a dangling link on its path): exit 1 naming it, nothing written', async () => {
    const s = setup('out-unusable');
    writeFileSync(s.out, 'a file\n');
    const underFile = await runInProcess(['render', s.source, '--out', join(s.out, 'sub')]);
    assert.equal(underFile.status, 1);
    assert.match(underFile.stderr, /cannot use --out .*rendered\/sub: part of that path is a file, not a folder/);
    rmSync(s.out);
    symlinkSync(join(s.root, 'nowhere'), s.out);
    const before = fileTree(s.root);
    const dangling = await runInProcess(['render', s.source, '--out', join(s.out, 'sub')]);
    assert.equal(dangling.status, 1);
    assert.match(dangling.stderr, /rendered is a symbolic link to .*nowhere, which does not exist; remove the link/);
    assert.doesNotMatch(`${underFile.stderr}${dangling.stderr}`, /internal error/);
    assert.deepEqual(fileTree(s.root), before);
  });

  test('OUT a link to a folder of its own: the render writes in the real folder', async () => {
    const s = setup('link-out-ok');
    const real = join(s.root, 'real-out');
    mkdirSync(real);
    symlinkSync(real, s.out);
    const result = await s.render();
    assert.equal(result.status, 0, result.stderr);
    assert.ok(existsSync(join(real, 'team-a', 'configmap_settings.yaml')));
    assert.equal((await s.render('--check')).status, 0);
  });
});

describe('render --out plans every write before the first', () => {
  test('a file where OUT needs a folder: exit 1 naming it, OUT as it was, no ledger', async () => {
    const s = setup('file-for-folder');
    mkdirSync(s.out);
    writeFileSync(join(s.out, 'team-b'), 'my notes\n');
    await assertRefusedUnchanged(
      s,
      /team-b is a file where OUT needs a folder \(for team-b\/configmap_other\.yaml\); move it away/,
    );
    assert.ok(!existsSync(join(s.out, OUTPUT_MARKER)));
  });

  test('a folder where OUT needs a file: exit 1 naming it, OUT as it was', async () => {
    const s = setup('folder-for-file');
    mkdirSync(join(s.out, KUSTOMIZATION_FILE), { recursive: true });
    await assertRefusedUnchanged(s, /kustomization\.yaml is a folder where OUT needs a file; move it away/);
  });

  test('after a render, a conflict in a later one leaves the earlier output and its ledger as they were', async () => {
    const s = setup('later-conflict');
    assert.equal((await s.render()).status, 0);
    writeFileSync(join(s.source, 'c.yaml'), configMap('third', 'team-c'));
    writeFileSync(join(s.source, 'a.yaml'), configMap('settings', 'team-a').replace('value', 'changed'));
    writeFileSync(join(s.out, 'team-c'), 'my notes\n');
    await assertRefusedUnchanged(s, /team-c is a file where OUT needs a folder/);
  });

  test('a namespace named kustomization.yaml: exit 1 naming the object and the field, OUT as it was', async () => {
    const s = setup('namespace-clash');
    assert.equal((await s.render()).status, 0);
    writeFileSync(join(s.source, 'c.yaml'), configMap('x', 'kustomization.yaml'));
    await assertRefusedUnchanged(
      s,
      /ConfigMap kustomization\.yaml\/x metadata\.namespace: the namespace "kustomization\.yaml" would make kustomization\.yaml a folder of OUT, but it is the kustomization file; a namespace must be a DNS label/,
    );
  });

  test('a failure while writing (a folder the user cannot write): every file written is taken back (built binary)', {
    skip: fullSuiteOnly,
  }, (t) => {
    const s = setup('write-fails');
    mkdirSync(join(s.out, 'team-b'), { recursive: true });
    // An unprivileged user may write OUT but not OUT/team-b; the render writes team-a/ first.
    chmodSync(s.root, 0o755);
    chmodSync(join(s.root, 'source'), 0o755);
    chmodSync(s.out, 0o777);
    chmodSync(join(s.out, 'team-b'), 0o555);
    const args = ['render', s.source, '--out', s.out];
    let command: [string, string[]] = [process.execPath, [bundle(), ...args]];
    if (process.getuid?.() === 0) {
      const setpriv = findOnPath('setpriv');
      if (!setpriv)
        return t.skip('running as root and setpriv (util-linux) is absent: no way to make a folder unwritable');
      const unreachable = unprivilegedUnavailable(setpriv);
      if (unreachable) return t.skip(unreachable);
      command = [setpriv, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bundle(), ...args]];
    }
    const before = fileTree(s.root);
    const result = run(...command);
    assert.equal(result.status, 1, result.stderr);
    assert.match(
      result.stderr,
      /error: cannot write .*team-b.*: permission denied; give the user running kserve-localmodel-fn access/,
    );
    assert.match(result.stderr, /rendered is as it was/);
    assert.deepEqual(fileTree(s.root), before, 'team-a/ and its file, written first, are gone again');
  });
});
