// YAML that has no JSON form is refused wherever the function reads YAML: in files and ResourceLists,
// and in the YAML strings of the ConfigMap-form function config and of Argo CD's ARGOCD_ENV_*. One
// clear error with its position, nothing on stderr from Node, no silently empty value.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { argocdOverrides } from '../fn/inputs/argocd-parameters';
import { parseFnConfig } from '../fn/inputs/fn-config';
import { krm } from '../fn/modes/krm';
import { runInProcess } from './support/in-process';

const HEADER = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';

/** Strings that hold YAML Kubernetes cannot read, each as a nodes list would carry it. */
const BAD: [string, string, RegExp][] = [
  ['!!binary', '[{name: gpu-1, labels: {zone: !!binary aGVsbG8=}}]', /!!binary makes a value that JSON/],
  ['!!set', '[{name: gpu-1, labels: !!set {? a, ? b}}]', /!!set makes a value that JSON/],
  ['a complex key', '[{name: gpu-1, labels: {? [a, b] : c}}]', /a mapping key that is itself a mapping or a list/],
  ['a null key', '[{name: gpu-1, labels: {~: c}}]', /a null mapping key/],
  ['keys 1 and "1"', '[{name: gpu-1, labels: {1: a, "1": b}}]', /the key "1" appears twice/],
];

describe('in the ConfigMap form of the function config', () => {
  for (const [name, text, says] of BAD) {
    it(`${name} is one error on data.nodes`, () => {
      const { config, results } = parseFnConfig({ apiVersion: 'v1', kind: 'ConfigMap', data: { nodes: text } });
      assert.equal(results.length, 1);
      assert.equal(results[0].severity, 'error');
      assert.equal(results[0].field?.path, 'data.nodes');
      assert.match(
        results[0].message,
        /^data\.nodes is not a value this function can read: (malformed )?YAML at line 1, column \d+: /,
      );
      assert.match(results[0].message, says);
      assert.deepEqual(config.nodes, [], 'nothing half-read');
    });
  }

  it('through KRM mode: exit 1, one error, nothing generated', () => {
    const outcome = krm(
      `${HEADER}items: []\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: fn}\n  data:\n    nodes: "${BAD[0][1]}"\n`,
    );
    assert.equal(outcome.exitCode, 1);
    assert.equal(outcome.results.filter((r) => r.severity === 'error').length, 1);
    assert.doesNotMatch(outcome.text, /Buffer|readUInt|Uint8Array/);
  });
});

describe("in Argo CD's ARGOCD_ENV_* variables and parameters", () => {
  for (const [name, text, says] of BAD) {
    it(`${name} in ARGOCD_ENV_NODES is one error`, () => {
      const { spec, results } = argocdOverrides({ ARGOCD_ENV_NODES: text });
      assert.equal(results.length, 1);
      assert.match(results[0].message, says);
      assert.equal(spec.nodes, undefined);
    });
    it(`${name} in an ARGOCD_APP_PARAMETERS array item is one error`, () => {
      const item = text.slice(1, -1);
      const { spec, results } = argocdOverrides({
        ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'nodes', array: [item] }]),
      });
      assert.equal(results.length, 1);
      assert.match(results[0].message, says);
      assert.equal(spec.nodes, undefined);
    });
  }
});

describe('the command line: one clear error, no Node warning on stderr', () => {
  const root = mkdtempSync(join(tmpdir(), 'yaml-refusals-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a complex mapping key in a file', async () => {
    const pkg = join(root, 'complex');
    mkdirSync(pkg);
    writeFileSync(
      join(pkg, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  ? [a, b]\n  : c\n',
    );
    const result = await runInProcess(['render', pkg]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr
        .trim()
        .split('\n')
        .filter((l) => !/^\s*$/.test(l)).length,
      1,
      `one line on stderr: ${result.stderr}`,
    );
    assert.match(result.stderr, /^error: .*YAML at line 6, column 5: a mapping key that is itself a mapping or a list/);
    assert.doesNotMatch(result.stderr, /Warning|stringified/);
  });

  it('!!set in ARGOCD_ENV_NODES', async () => {
    const pkg = join(root, 'argo');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    const result = await runInProcess(['render', '--argocd', pkg], { env: { ARGOCD_ENV_NODES: BAD[1][1] } });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /!!set makes a value that JSON/);
    assert.ok(result.stderr.length < 500, `a short message: ${result.stderr}`);
  });
});
