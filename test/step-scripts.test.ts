// The node steps are shell files (fn/steps/*.sh): shellcheck judges each as POSIX sh, and the text the
// pods run (from the step-scripts ConfigMap, fn/manifests/step-scripts.ts) is exactly the file's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { READY_LABEL_PREFIX } from '../fn/names/readiness';
import { STEP_SCRIPTS } from '../fn/steps/scripts.generated';
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
    // -x follows `. model-folder.sh`, so prepare.sh and finalize.sh are checked with what they source.
    const r = spawnSync(SHELLCHECK as string, ['--shell=sh', '--severity=style', '-x', ...FILES], {
      cwd: FOLDER,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('each file is bundled under its name, exactly as written', () => {
    assert.deepEqual(Object.keys(STEP_SCRIPTS), FILES);
    for (const file of FILES) assert.equal(STEP_SCRIPTS[file], readFileSync(join(FOLDER, file), 'utf8'), file);
  });

  it('the labeler writes and reads the label shape the serving volumes require', () => {
    const script = STEP_SCRIPTS['node-label.sh'];
    assert.ok(script.includes(`prefix="${READY_LABEL_PREFIX}/$pkg."`));
    assert.ok(script.includes(`"\\"${READY_LABEL_PREFIX.replaceAll('.', '\\\\.')}/$pkg`));
  });
});
