// The node steps are shell files (fn/steps/*.sh): shellcheck judges each as POSIX sh, and the text the
// pods run is exactly the file's, comments left out.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { READY_LABEL_PREFIX } from '../fn/build/node-readiness';
import * as scripts from '../fn/steps/scripts.generated';
import { findOnPath } from './support/integrations';

const FOLDER = join(__dirname, '..', 'fn', 'steps');
const FILES = readdirSync(FOLDER)
  .filter((f) => f.endsWith('.sh'))
  .sort();
const SHELLCHECK = findOnPath('shellcheck');

describe('step scripts', () => {
  it('shellcheck finds nothing in any of them (POSIX sh, every severity down to style)', {
    skip: SHELLCHECK ? undefined : 'shellcheck is not installed (apt-get install shellcheck; .ci/run installs it)',
  }, () => {
    const r = spawnSync(SHELLCHECK as string, ['--shell=sh', '--severity=style', ...FILES], {
      cwd: FOLDER,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('each file is bundled under its name, without comment lines', () => {
    const bundled = scripts as Record<string, string>;
    assert.deepEqual(
      Object.keys(bundled).sort(),
      FILES.map((f) => f.replace(/\.sh$/, '').replaceAll('-', '_').toUpperCase()).sort(),
    );
    for (const file of FILES) {
      const name = file.replace(/\.sh$/, '').replaceAll('-', '_').toUpperCase();
      const code = readFileSync(join(FOLDER, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
      assert.deepEqual(bundled[name].split('\n'), code, file);
    }
  });

  it('prepare and finalize share one lock, marker check and removal of stale copies, word for word', () => {
    const shared = (text: string) => text.slice(text.indexOf('pod=${POD_NAME'), text.indexOf('remove_stale() {'));
    assert.ok(shared(scripts.PREPARE).includes('is_complete() {'));
    assert.equal(shared(scripts.PREPARE), shared(scripts.FINALIZE));
    const stale = (text: string) =>
      text.slice(text.indexOf('remove_stale() {'), text.indexOf('\n}\n', text.indexOf('remove_stale() {')));
    assert.equal(stale(scripts.PREPARE), stale(scripts.FINALIZE));
  });

  it('the node-label step writes the label prefix the serving volumes require', () => {
    assert.ok(scripts.NODE_LABEL.includes(`"${READY_LABEL_PREFIX}/$1.$tag\\"`));
    assert.ok(scripts.NODE_LABEL.includes(`'"${READY_LABEL_PREFIX.replaceAll('.', '\\.')}/`));
  });
});
