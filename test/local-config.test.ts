// Node inventory and function config are input, never manifests: without the local-config mark they
// are an error in every mode, naming the file and the fix, and nothing is generated or written.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { runInProcess } from './support/in-process';
import { copyToTemp, EXAMPLES, editFile, tempDir } from './support/integrations';

const QUICKSTART = join(EXAMPLES, 'quickstart');
const MARK = 'config.kubernetes.io/local-config: "true"';

/** The quickstart with the mark taken off one file's objects. */
function unmarked(file: string): string {
  const dir = copyToTemp(QUICKSTART, 'local-config');
  const path = join(dir, file);
  editFile(path, /\n {2}annotations:\n {4}config\.kubernetes\.io\/local-config: "true"/g, '');
  assert.ok(!readFileSync(path, 'utf8').includes('local-config: "true"'), `${file} still marked`);
  return dir;
}

describe('a Node without the local-config mark', () => {
  test('render: exit 1, nothing printed, an error per Node naming the file and the fix', async () => {
    const result = await runInProcess(['render', unmarked('nodes.yaml')]);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stdout, '');
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('error: Node '));
    assert.equal(errors.length, 3, result.stderr);
    for (const line of errors) {
      assert.match(line, /is node inventory, not a manifest/);
      assert.ok(line.includes(`add metadata.annotations: {${MARK}}`), line);
      assert.match(line, /\(nodes\.yaml(#\d)?\)$/);
    }
  });

  test('render --out: exit 1 and nothing written', async () => {
    const out = join(tempDir('local-config-out'), 'rendered');
    const result = await runInProcess(['render', unmarked('nodes.yaml'), '--out', out]);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(existsSync(out), false);
  });

  test('KRM mode: exit 1, an error result on the Node, no generated item', async () => {
    const list = {
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gpu-1', labels: { 'node-type': 'gpu' } } },
        ...['nodegroup.yaml', 'localmodelcache.yaml'].map((f) => parse(readFileSync(join(QUICKSTART, f), 'utf8'))),
      ],
    };
    const result = await runInProcess([], { input: stringify(list) });
    assert.equal(result.status, 1, result.stderr);
    const output = parse(result.stdout);
    assert.deepEqual(
      output.items.map((o: { kind: string }) => o.kind),
      ['LocalModelCache', 'LocalModelNodeGroup', 'Node'],
      'the input passes through, nothing is generated',
    );
    const [error] = output.results.filter((r: { severity: string }) => r.severity === 'error');
    assert.deepEqual(error.resourceRef, { apiVersion: 'v1', kind: 'Node', name: 'gpu-1' });
    assert.equal(error.field.path, 'metadata.annotations[config.kubernetes.io/local-config]');
  });

  test('a marked inventory passes (the examples), and the mark is all it takes', async () => {
    assert.equal((await runInProcess(['render', QUICKSTART])).status, 0);
  });
});

describe('a function config without the local-config mark', () => {
  test('render: the typed kind in the package is an error naming its file', async () => {
    const result = await runInProcess(['render', unmarked('fn-config.yaml')]);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: LocalModelFnConfig kserve-localmodel-fn metadata\.annotations\[config\.kubernetes\.io\/local-config\]: the function config .* never applied; .*add metadata\.annotations: \{config\.kubernetes\.io\/local-config: "true"\} \(fn-config\.yaml\)$/m,
    );
  });

  test("KRM mode: a ConfigMap item that is kpt's configPath function config is an error; the same ConfigMap given only as functionConfig is fine", async () => {
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'localmodel-settings' }, data: {} };
    const items = ['nodes.yaml', 'nodegroup.yaml', 'localmodelcache.yaml', 'credentials.yaml'].flatMap((f) =>
      readFileSync(join(QUICKSTART, f), 'utf8')
        .split(/^---$/m)
        .map((d) => parse(d)),
    );
    const run = (withItem: boolean) =>
      runInProcess([], {
        // JSON (which is YAML): yaml's stringify would write the shared object as an alias.
        input: JSON.stringify({
          apiVersion: 'config.kubernetes.io/v1',
          kind: 'ResourceList',
          items: withItem ? [...items, config] : items,
          functionConfig: config,
        }),
      });
    const asItem = await run(true);
    assert.equal(asItem.status, 1);
    assert.match(asItem.stderr, /^error: ConfigMap localmodel-settings .*the function config ConfigMap/m);
    assert.equal((await run(false)).status, 0);
  });
});

test("kustomize's transformer file needs no mark: kustomize consumes it, and render of that folder accepts it", async () => {
  const result = await runInProcess(['render', join(EXAMPLES, 'kustomize')]);
  assert.equal(result.status, 0, result.stderr);
});
