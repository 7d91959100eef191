// The package folder as the user's tree really is: links that dangle or loop, files that cannot be
// read. Each is an error naming the path and what to do (exit 1, nothing printed), never an internal error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runInProcess } from './support/in-process';
import { bundle, findOnPath, run, runFn, tempDir, unprivilegedUnavailable } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: team-a\n';

/** A package with one manifest, so that only the tree condition under test can fail the render. */
function packageDir(prefix: string): string {
  const dir = tempDir(prefix);
  writeFileSync(join(dir, 'settings.yaml'), CONFIG_MAP);
  return dir;
}

function assertRefused(result: { status: number | null; stdout: string; stderr: string }, message: RegExp) {
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stdout, '', 'nothing is printed when the package cannot be read');
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /internal error|ENOENT|ELOOP|EACCES|\n\s+at /);
}

describe('the package tree (real files)', () => {
  test('a link to a file outside the package is followed', async () => {
    const dir = packageDir('tree-link');
    const shared = join(tempDir('tree-shared'), 'shared.yaml');
    writeFileSync(shared, CONFIG_MAP.replace('settings', 'shared'));
    symlinkSync(shared, join(dir, 'shared.yaml'));
    const result = await runInProcess(['render', dir]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /name: shared/);
  });

  test('a dangling link, even one not named .yaml: exit 1 naming the link, its target and the fix', async () => {
    for (const name of ['models.yaml', 'README.md', 'base']) {
      const dir = packageDir('tree-dangling');
      symlinkSync(join(dir, 'gone'), join(dir, name));
      assertRefused(
        await runInProcess(['render', dir]),
        new RegExp(
          `${name} is a symbolic link to .*gone, which does not exist; remove the link or restore its target, or list it in \\.krmignore`,
        ),
      );
    }
  });

  test('a dangling link that .krmignore lists is no concern of the render', async () => {
    const dir = packageDir('tree-ignored');
    symlinkSync(join(dir, 'gone'), join(dir, 'scratch'));
    writeFileSync(join(dir, '.krmignore'), 'scratch/\n');
    const result = await runInProcess(['render', dir]);
    assert.equal(result.status, 0, result.stderr);
  });

  test('a link that loops, or leads back to a folder above it: exit 1 naming the link', async () => {
    const dir = packageDir('tree-loop');
    symlinkSync('b.yaml', join(dir, 'a.yaml'));
    symlinkSync('a.yaml', join(dir, 'b.yaml'));
    assertRefused(await runInProcess(['render', dir]), /a\.yaml is a symbolic link in a loop .*; remove the link/);

    const up = packageDir('tree-up');
    mkdirSync(join(up, 'base'));
    symlinkSync('..', join(up, 'base', 'parent'));
    assertRefused(
      await runInProcess(['render', up]),
      /base\/parent is a symbolic link to a folder above it .*a loop; remove the link/,
    );
  });
});

// A regression here would block the reading process: the built binary, which a timeout can stop. And
// an unreadable file needs a user that root is not, so another process.
describe('the package tree (built binary, real files)', { skip: fullSuiteOnly }, () => {
  test('a named pipe called .yaml is refused, not read (a read would wait forever)', () => {
    const dir = packageDir('tree-fifo');
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    assertRefused(
      runFn(['render', dir], { timeout: 20_000 }),
      /pipe\.yaml is a named pipe \(FIFO\), not a file; move it out/,
    );
  });

  test('an unreadable file or folder: exit 1 naming it, "permission denied", and the fix', (t) => {
    const dir = packageDir('tree-eacces');
    writeFileSync(join(dir, 'locked.yaml'), CONFIG_MAP.replace('settings', 'locked'));
    mkdirSync(join(dir, 'private'));
    chmodSync(join(dir, 'locked.yaml'), 0o000);
    chmodSync(join(dir, 'private'), 0o000);
    chmodSync(dir, 0o755);
    // root reads anything: drop to an unprivileged user for this run, as a CI runner's user would be.
    let result: ReturnType<typeof runFn>;
    if (process.getuid?.() !== 0) result = runFn(['render', dir]);
    else {
      const setpriv = findOnPath('setpriv');
      if (!setpriv)
        return t.skip('running as root and setpriv (util-linux) is absent: no way to make a file unreadable');
      const unreachable = unprivilegedUnavailable(setpriv);
      if (unreachable) return t.skip(unreachable);
      result = run(setpriv, [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        bundle(),
        'render',
        dir,
      ]);
    }
    assertRefused(
      result,
      /cannot read .*locked\.yaml: permission denied; give the user running kserve-localmodel-fn access/,
    );
    assert.match(result.stderr, /cannot read the folder .*private: permission denied/);
  });
});
