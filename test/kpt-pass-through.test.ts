// Under the real `kpt fn render`, a user's file full of ambiguous scalars and comments comes back
// exactly as written, byte for byte the same as with a function that returns its input (`cat`).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { editFile, hasKpt, kptPackage, snapshot } from './support/integrations';

/**
 * What kubectl and people write, every scalar one that a YAML 1.1 printer would rewrite. Not here:
 * what kpt itself rewrites even around `cat` (escapes in double quotes, `1:20` inside a flow list).
 */
const SETTINGS = `# Settings the function passes through.
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings # inline comment
  labels:
    cloud.google.com/machine-family: e2
data:
  exponent: e3
  upper: E5
  dot: .
  underscore: 0_
  sexagesimal: 1:20
  timestamp: 2024-05-01T10:00:00+02:00
  big: 9223372036854775807
  octal: 0644
  tilde: ~
  nan: .nan
  inf: .inf
  enabled: y
  power: off
  float: 1e3
  half: .5
  quoted: 'it''s'
  e3: as a key
  E5: another key
  list: # a comment on the key's line
  - e3
  - 1:20
  flow: [e3, .5, "x"]
  block: |
    kept
  # a comment after the last key
`;

describe('kpt fn render (real binary): pass-through files', () => {
  test("the user's file is unchanged, as with a function that returns its input", (t) => {
    if (!hasKpt(t)) return;
    const render = (useCat: boolean) => {
      const { dir, kpt } = kptPackage();
      writeFileSync(join(dir, 'settings.yaml'), SETTINGS);
      if (useCat) editFile(join(dir, 'Kptfile'), 'exec: kserve-localmodel-fn', 'exec: cat');
      const before = snapshot(dir);
      const result = kpt('fn', 'render', '--allow-exec');
      assert.equal(result.status, 0, result.stderr);
      return { before, after: snapshot(dir) };
    };
    const control = render(true);
    const ours = render(false);
    assert.equal(control.after.get('settings.yaml'), SETTINGS, 'the control leaves the file as written');
    assert.equal(ours.after.get('settings.yaml'), SETTINGS);
    for (const [file, text] of control.after) {
      if (file === 'Kptfile') continue;
      assert.equal(ours.after.get(file), text, `${file} differs from the control run`);
    }
    assert.ok(
      [...ours.after.keys()].some((f) => f.startsWith('generated/')),
      'the function did generate',
    );
  });
});
