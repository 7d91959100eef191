// File-system fuzz of `render --out`: OUT is filled at random with files, folders and links (to
// inside OUT, outside it, the package, nowhere), before or after an earlier render, and the source
// changes so that files are added, changed and removed. Whatever the tree, the render runs the code
// the binary runs (runRenderOut) and must change nothing outside OUT, nothing in OUT it did not write,
// and on failure nothing at all. Fixed seed: every run tries the same cases.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { OUTPUT_MARKER } from '../fn/modes/read-package';
import { runRenderOut } from '../fn/modes/render-out';
import { fileTree } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const configMap = (name: string, namespace: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  key: ${value}\n`;
const clusterRole = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n';

/** Names the tool uses (so that clashes happen often) and a few it never does. */
const NAMES = [
  'team-a',
  'team-b',
  '_cluster',
  'kustomization.yaml',
  OUTPUT_MARKER,
  'configmap_settings.yaml',
  'configmap_other.yaml',
  'clusterrole_reader.yaml',
  'notes.md',
  'x',
];
const name = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.stringMatching(/^[a-z_][a-z0-9._-]{0,7}$/).filter((n) => n !== '.' && n !== '..'),
);
const path = fc.array(name, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('/'));

/** Where a link points: relative to the link's own folder or absolute, inside OUT, outside, or nowhere. */
const linkTarget = fc.oneof(
  fc.constantFrom('@outside', '@outside/precious.yaml', '@source', '@source/a.yaml', '@root', '@missing'),
  path,
);

type Op =
  | { op: 'file'; path: string; text: string }
  | { op: 'dir'; path: string }
  | { op: 'link'; path: string; target: string }
  | { op: 'delete'; path: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('file' as const), path, text: fc.constantFrom('mine\n', 'x: 1\n', '') }),
  fc.record({ op: fc.constant('dir' as const), path }),
  fc.record({ op: fc.constant('link' as const), path, target: linkTarget }),
  fc.record({ op: fc.constant('delete' as const), path }),
);

const scenario = fc.record({
  /** A render before the user's changes: OUT then holds files the tool owns, listed by its ledger. */
  earlierRender: fc.boolean(),
  ops: fc.array(op, { maxLength: 8 }),
  /** What changes in the source before the render under test. */
  sourceChange: fc.constantFrom('none', 'value', 'remove-b', 'add-c'),
});

/** runRenderOut with a stderr that is kept: what the binary runs for `render DIR --out OUT [--check]`. */
function render(source: string, out: string, check = false): { code: number; stderr: string } {
  let stderr = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stderr += String(chunk);
      done();
    },
  });
  const options = { dir: source, out, check, argocd: false, allowEmpty: false, strict: false };
  const code = runRenderOut(options, {}, stream);
  return { code, stderr };
}

function apply(root: string, out: string, o: Op): void {
  const full = join(out, ...o.path.split('/'));
  try {
    if (o.op === 'file') writeFileSync(full, o.text);
    else if (o.op === 'dir') mkdirSync(full, { recursive: true });
    else if (o.op === 'delete') rmSync(full, { recursive: true, force: true });
    else {
      const target = o.target.startsWith('@') ? join(root, o.target.slice(1)) : o.target;
      symlinkSync(target, full);
    }
  } catch {
    // The random tree did not allow it (a file where a folder was wanted, a name taken): skip the step.
  }
}

/** Paths the ledger lists as the tool's own, when the ledger is a plain file. */
function owned(tree: ReadonlyMap<string, string>): Set<string> {
  const ledger = tree.get(`rendered/${OUTPUT_MARKER}`);
  if (ledger === undefined || ledger === 'dir' || ledger.startsWith('link -> ')) return new Set();
  return new Set(
    ledger
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => `rendered/${l}`),
  );
}

describe('render --out file-system fuzz', { skip: fullSuiteOnly }, () => {
  test('whatever OUT holds: nothing outside OUT changes, nothing in OUT it did not write, and nothing on failure', (t) => {
    let runs = 0;
    let successes = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        runs++;
        const root = mkdtempSync(join(tmpdir(), 'klf-out-fuzz-'));
        try {
          const source = join(root, 'source');
          const out = join(root, 'rendered');
          mkdirSync(source);
          mkdirSync(join(root, 'outside'));
          writeFileSync(join(root, 'outside', 'precious.yaml'), 'keep me\n');
          writeFileSync(join(source, 'a.yaml'), configMap('settings', 'team-a', 'one'));
          writeFileSync(join(source, 'b.yaml'), configMap('other', 'team-b', 'two'));
          writeFileSync(join(source, 'c.yaml'), clusterRole);
          if (s.earlierRender) assert.equal(render(source, out).code, 0);
          mkdirSync(out, { recursive: true });
          for (const o of s.ops) apply(root, out, o);
          if (s.sourceChange === 'value')
            writeFileSync(join(source, 'a.yaml'), configMap('settings', 'team-a', 'changed'));
          if (s.sourceChange === 'remove-b') unlinkSync(join(source, 'b.yaml'));
          if (s.sourceChange === 'add-c') writeFileSync(join(source, 'd.yaml'), configMap('third', 'team-c', 'three'));

          const before = fileTree(root);
          const result = render(source, out);
          const after = fileTree(root);
          assert.doesNotMatch(result.stderr, /internal error/);
          for (const [p, entry] of before) {
            if (!p.startsWith('rendered/')) assert.equal(after.get(p), entry, `${p} outside OUT changed`);
          }
          for (const p of after.keys())
            assert.ok(before.has(p) || p.startsWith('rendered/'), `${p} appeared outside OUT`);
          assert.ok(![...after.keys()].some((p) => p.endsWith('.tmp')), 'no temporary file is left');
          if (result.code !== 0) {
            assert.deepEqual(after, before, `a failed render changed OUT:\n${result.stderr}`);
            return;
          }
          successes++;
          const ours = owned(before);
          for (const [p, entry] of before) {
            if (!p.startsWith('rendered/') || entry === 'dir' || ours.has(p) || p === `rendered/${OUTPUT_MARKER}`)
              continue;
            assert.equal(after.get(p), entry, `${p} was not written by the tool, yet it changed`);
          }
          for (const [p, entry] of after)
            assert.ok(!entry.startsWith('link -> ') || before.get(p) === entry, `${p}: a link was made`);
          const check = render(source, out, true);
          assert.equal(check.code, 0, `after a successful render, --check finds OUT fresh:\n${check.stderr}`);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 150, seed: 20261130 },
    );
    // The generator must reach both outcomes, or the test would prove little.
    assert.ok(successes > 10 && runs - successes > 10, `${successes} of ${runs} renders succeeded`);
    t.diagnostic(`${successes} of ${runs} renders succeeded; the others were refused with OUT unchanged`);
  });
});
