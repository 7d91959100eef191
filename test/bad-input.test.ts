// Every class of bad input: exit code 1, one clear message, no stack trace, no manifests. In KRM mode
// the results travel in the output ResourceList; a person reads them on stderr.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { MAX_INPUT_BYTES } from '../fn/krm/input-error';
import type { KObject } from '../fn/krm/objects';
import type { Result } from '../fn/krm/results';
import { MAX_NESTING_DEPTH } from '../fn/krm/yaml-read';
import { krm } from '../fn/modes/krm';
import { cache, node, nodeGroup } from './support/fixtures';
import { resourceList } from './support/harness';
import { runInProcess } from './support/in-process';
import { runFn } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const STACK_FRAME = /^\s+at \S/m;
const HEADER = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const configMapWith = (value: string) =>
  `${HEADER}items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: settings\n  data:\n    value: ${value}\n`;

interface Seen {
  exitCode: number;
  results: Result[];
  items: KObject[];
}

/** Runs krm(text) and checks what every bad input must give; returns the single error message. */
function refused(text: string): string {
  const outcome = krm(text);
  assert.equal(outcome.exitCode, 1);
  const list = parse(outcome.text, { version: '1.1' }) as { kind: string; items: KObject[]; results: Result[] };
  assert.equal(list.kind, 'ResourceList');
  assert.deepEqual(list.items, [], 'no items at all when the input cannot be read');
  assert.equal(list.results.length, 1);
  assert.equal(list.results[0].severity, 'error');
  assert.doesNotMatch(outcome.text, STACK_FRAME);
  return list.results[0].message;
}

const outcomeOf = (text: string): Seen => {
  const outcome = krm(text);
  const list = parse(outcome.text, { version: '1.1' }) as { items: KObject[]; results?: Result[] };
  return { exitCode: outcome.exitCode, results: list.results ?? [], items: list.items };
};

describe('bad input in KRM mode, through krm(text)', () => {
  it('empty input', () => assert.match(refused(''), /^empty input: expected a ResourceList/));
  it('input of only white space and comments', () => assert.match(refused('\n  # nothing here\n'), /^empty input/));

  it('malformed YAML names line and column', () => {
    const message = refused(`${HEADER}items:\n- apiVersion: v1\n  kind: [ConfigMap\n`);
    assert.equal(
      message,
      'malformed YAML at line 6, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
  });

  it('a tab used as indentation says to indent with spaces', () => {
    assert.match(refused(`${HEADER}items:\n\t- a: 1\n`), /^malformed YAML at line 4, column 1: .*indent with spaces/);
  });

  it('a duplicate key names the key, its line and its column', () => {
    const message = refused(`${HEADER}items:\n- apiVersion: v1\n  kind: ConfigMap\n  kind: Secret\n`);
    assert.equal(
      message,
      'malformed YAML at line 6, column 3: the key "kind" appears twice in one mapping; keep one of them, since tools disagree on which one wins',
    );
  });

  it('a document that is not a ResourceList says what is expected and where render is', () => {
    const message = refused('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
    assert.match(
      message,
      /^expected kind: ResourceList, found "Deployment"; KRM mode reads one ResourceList .* render DIR/,
    );
  });

  it('several documents are not one ResourceList', () =>
    assert.match(refused(`${HEADER}items: []\n---\n${HEADER}items: []\n`), /^found 2 YAML documents/));
  it('a stray --- before or after the list is fine', () =>
    assert.equal(krm(`---\n${HEADER}items: []\n---\n`).exitCode, 0));
  it('a list at the top is not a ResourceList', () =>
    assert.match(refused('- a\n- b\n'), /^the input is not a YAML mapping/));
  it('items that are not a list', () =>
    assert.equal(refused(`${HEADER}items:\n  a: 1\n`), 'expected a list of resources'));
  it('an item that is not a mapping, named by its field path', () => {
    const text = `${HEADER}items:\n- just a string\n`;
    assert.match(refused(text), /^expected a resource/);
    assert.equal(krm(text).results[0].field?.path, 'items[0]');
  });

  it('an alias bomb is refused before it expands', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `    ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const text = `${HEADER}items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: bomb\n  data:\n    ${bomb.join('\n')}\n`;
    const started = Date.now();
    assert.match(refused(text), /^YAML aliases expand past 100 nodes \(an alias bomb\?\)/);
    assert.ok(Date.now() - started < 2000, 'refused quickly');
  });

  it('an alias inside its own anchor is refused', () =>
    assert.match(refused(configMapWith('&x [*x]')), /alias \*x refers to a node that contains it/));
  it('an alias without an anchor is not mistaken for a bomb', () =>
    assert.match(refused(configMapWith('*nowhere')), /Unresolved alias/));
  it('a !!binary value, which has no JSON form, is refused with its position', () => {
    assert.match(
      refused(configMapWith('!!binary aGVsbG8=')),
      /^YAML at line 9, column \d+: !!binary makes a value that JSON/,
    );
  });

  it(`nesting deeper than ${MAX_NESTING_DEPTH} levels is refused at the line and column where it passes the limit`, () => {
    const depth = MAX_NESTING_DEPTH + 10;
    assert.match(
      refused(configMapWith(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
      /^YAML at line 9, column \d+: nested more than 200 levels deep/,
    );
  });

  it('nesting far past what the parser itself can follow is refused the same way, not with a stack overflow', () => {
    const depth = 20_000;
    assert.match(
      refused(configMapWith(`${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`)),
      /^YAML at line 9, column \d+: nested too deeply for the YAML parser/,
    );
  });

  it('nesting a little under the limit is accepted', () => {
    const depth = MAX_NESTING_DEPTH - 10;
    assert.equal(krm(configMapWith(`${'['.repeat(depth)}${']'.repeat(depth)}`)).exitCode, 0);
  });

  it('input over the size limit is refused before parsing', () => {
    const message = refused(`${HEADER}items: []\n#${'x'.repeat(MAX_INPUT_BYTES)}\n`);
    assert.match(message, /^input is \d+ bytes, over the limit of 67108864 bytes \(64 MiB\); split the package/);
  });

  it('wrong types in a resource are error results that name resource and field; nothing is generated', () => {
    const seen = outcomeOf(
      resourceList([
        nodeGroup('workers'),
        {
          ...cache('llama', 's3://m/l'),
          spec: { sourceModelUri: ['s3://m/l'], modelSize: '10Gi', nodeGroups: ['workers'] },
        },
        node('gpu-1'),
      ]),
    );
    assert.equal(seen.exitCode, 1);
    const [r] = seen.results.filter((x) => x.severity === 'error');
    assert.equal(r.field?.path, 'spec.sourceModelUri');
    assert.equal(r.resourceRef?.name, 'llama');
    assert.equal(seen.items.length, 3, 'the input passes through, nothing is added');
  });
});

describe('bad input through the command line', () => {
  it('malformed YAML: exit 1, a ResourceList with the error on stdout, one human line on stderr', async () => {
    const r = await runInProcess([], { input: `${HEADER}items:\n- kind: [\n` });
    assert.equal(r.status, 1);
    const list = parse(r.stdout) as { kind: string; items: unknown[]; results: Result[] };
    assert.equal(list.kind, 'ResourceList');
    assert.deepEqual(list.items, []);
    assert.match(list.results[0].message, /^malformed YAML at line \d+, column \d+: /);
    assert.match(r.stderr, /^error: malformed YAML at line \d+, column \d+: .+\n$/);
    assert.doesNotMatch(r.stdout + r.stderr, STACK_FRAME);
  });

  it('an error result: exit 1, results in the ResourceList and no generated item, the same results on stderr', async () => {
    const r = await runInProcess([], {
      input: resourceList([nodeGroup('workers'), cache('llama', 's3://m/llama', ['gpus']), node('gpu-1')]),
    });
    assert.equal(r.status, 1);
    const list = parse(r.stdout, { version: '1.1' }) as { items: KObject[]; results: Result[] };
    assert.equal(list.items.length, 3, 'only the input, passed through');
    assert.ok(list.results.some((x) => x.severity === 'error' && x.field?.path === 'spec.nodeGroups[0]'));
    assert.match(r.stderr, /^error: LocalModelCache llama spec\.nodeGroups\[0\]: .*node group "gpus"/m);
    assert.equal(r.stderr.trim().split('\n').length, list.results.length, 'one stderr line per result');
    assert.doesNotMatch(r.stdout + r.stderr, STACK_FRAME);
  });

  it('render DIR with a malformed file: exit 1, nothing on stdout, the file and position on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-input-'));
    try {
      writeFileSync(join(dir, 'cache.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
      const r = await runInProcess(['render', dir]);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        /^error: malformed YAML at line 5, column 3: the key "name" appears twice .* \(cache\.yaml\)\n$/,
      );
      assert.doesNotMatch(r.stderr, STACK_FRAME);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// fn/krm/stdin.ts stops reading at the limit: that is the real stdin's reader, so the built binary.
describe('bad input on the real stdin (built binary)', { skip: fullSuiteOnly }, () => {
  it('stdin over the size limit is cut off while reading, with the same message', () => {
    const r = runFn([], { input: `${HEADER}items: []\n#${'x'.repeat(MAX_INPUT_BYTES)}\n` });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: input is more than 67108864 bytes, over the limit/);
    assert.deepEqual((parse(r.stdout) as { items: unknown[] }).items, []);
  });
});
