// `kserve-localmodel-fn inventory`: a kubectl get nodes dump in, the committed node inventory out. Run
// as the command line runs it (test/support/in-process.ts) on dumps shaped like EKS, GKE and AKS.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { cache, nodeGroup } from './support/fixtures';
import { runInProcess } from './support/in-process';
import type { Manifest } from './support/integrations';
import { parseStream, tempDir } from './support/integrations';
import { CLOUDS, cloudPackage } from './support/node-dumps';

const sorted = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** A dump read as kubectl wrote it (every scalar as its text): the Nodes, whatever the shape. */
const dumpNodes = (path: string): Manifest[] =>
  parseAllDocuments(readFileSync(path, 'utf8'), { schema: 'failsafe' })
    .map((doc) => doc.toJS() as Manifest)
    .flatMap((d) => (d.kind === 'List' ? (d.items as Manifest[]) : [d]));

describe('inventory of a whole cluster', () => {
  for (const cloud of CLOUDS) {
    test(`${cloud.name}: every Node, name and labels only, local-config, sorted by name and by label key`, async () => {
      const result = await runInProcess(['inventory', cloud.dump]);
      assert.equal(result.status, 0, result.stderr);
      const nodes = parseStream(result.stdout);
      const names = nodes.map((n) => n.metadata?.name as string);
      assert.deepEqual(names, sorted([...cloud.gpuNodes, ...cloud.otherNodes]));
      const live = new Map(dumpNodes(cloud.dump).map((n) => [n.metadata?.name, n]));
      for (const node of nodes) {
        assert.deepEqual(Object.keys(node), ['apiVersion', 'kind', 'metadata']);
        assert.deepEqual(Object.keys(node.metadata ?? {}), ['name', 'labels', 'annotations']);
        assert.deepEqual(node.metadata?.annotations, { 'config.kubernetes.io/local-config': 'true' });
        const labels = node.metadata?.labels ?? {};
        assert.deepEqual(Object.keys(labels), sorted(Object.keys(labels)));
        assert.deepEqual(labels, live.get(node.metadata?.name)?.metadata?.labels, 'every label, as the cluster has it');
      }
      assert.doesNotMatch(result.stdout, /uid|resourceVersion|creationTimestamp|providerID|taints|status/);
      assert.match(result.stderr, new RegExp(`^inventory: ${names.length} of ${names.length} nodes$`, 'm'));
    });
  }

  test("GKE's plain `e2` machine family stays the text e2 (a YAML 1.1 reader would make it a number)", async () => {
    const result = await runInProcess(['inventory', CLOUDS[1].dump]);
    const system = parseStream(result.stdout).find((n) => n.metadata?.name === CLOUDS[1].otherNodes[0]);
    assert.equal(system?.metadata?.labels?.['cloud.google.com/machine-family'], 'e2');
  });

  test('a label value that reads as a number when plain (0o17) is written quoted, so the node group that selects it still finds the node', async () => {
    const dump = {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'gpu-1', labels: { pool: '0o17' } } }],
    };
    const inventory = await runInProcess(['inventory'], { input: JSON.stringify(dump) });
    assert.equal(inventory.status, 0, inventory.stderr);
    assert.match(inventory.stdout, /^ {4}pool: "0o17"$/m);
    const dir = tempDir('inventory-quoted');
    writeFileSync(join(dir, 'nodes.yaml'), inventory.stdout);
    writeFileSync(
      join(dir, 'package.yaml'),
      [nodeGroup('workers', { pool: ['0o17'] }), cache('llama', 'hf://meta/llama')]
        .map((o) => stringify(o))
        .join('---\n'),
    );
    const render = await runInProcess(['render', dir]);
    assert.equal(render.status, 0, render.stderr);
    assert.equal(parseStream(render.stdout).filter((o) => o.kind === 'Job').length, 1);
  });

  test('deterministic: the same cluster in another order gives the same bytes, from a file or stdin; its own output reads back unchanged', async () => {
    const cloud = CLOUDS[0];
    const first = (await runInProcess(['inventory', cloud.dump])).stdout;
    const dump = JSON.parse(readFileSync(cloud.dump, 'utf8'));
    dump.items.reverse();
    for (const item of dump.items)
      item.metadata.labels = Object.fromEntries(Object.entries(item.metadata.labels).reverse());
    const shuffled = await runInProcess(['inventory'], { input: JSON.stringify(dump) });
    assert.equal(shuffled.stdout, first);
    const inventoryFile = join(tempDir('inventory'), 'nodes.yaml');
    writeFileSync(inventoryFile, first);
    assert.equal((await runInProcess(['inventory', inventoryFile])).stdout, first, 'f(f(x)) = f(x)');
  });
});

describe('inventory --for DIR', () => {
  for (const cloud of CLOUDS) {
    test(`${cloud.name}: only the nodes a node group of the package selects, and render places one Job on each`, async () => {
      const pkg = cloudPackage(cloud);
      const result = await runInProcess(['inventory', '--for', pkg], { input: readFileSync(cloud.dump, 'utf8') });
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(
        parseStream(result.stdout).map((n) => n.metadata?.name),
        sorted(cloud.gpuNodes),
      );
      writeFileSync(join(pkg, 'nodes.yaml'), result.stdout);
      const rendered = await runInProcess(['render', pkg, '--strict']);
      assert.equal(rendered.status, 0, rendered.stderr);
      const jobs = parseStream(rendered.stdout).filter((o) => o.kind === 'Job');
      const hostnames = jobs.map(
        (j) => parse(JSON.stringify(j)).spec.template.spec.nodeSelector['kubernetes.io/hostname'],
      );
      assert.deepEqual(sorted(hostnames), sorted(cloud.gpuNodes));
    });
  }
});

describe('inventory refuses what is not a node dump: exit 1, nothing on stdout, the reason on stderr', () => {
  const pkg = cloudPackage(CLOUDS[0]);
  const cases: [string, string[], string, RegExp][] = [
    [
      'pods instead of nodes',
      ['inventory'],
      '{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":"p"}}]}',
      /item 0 is not a Node \(kind "Pod"\); give the output of kubectl get nodes -o json/,
    ],
    ['nothing at all', ['inventory'], '', /no Node in the input/],
    ['broken YAML', ['inventory'], 'kind: Node\nmetadata: {name: [\n', /malformed YAML/],
    [
      'a node twice with different labels',
      ['inventory'],
      '---\nkind: Node\nmetadata: {name: a, labels: {x: "1"}}\n---\nkind: Node\nmetadata: {name: a}\n',
      /Node a appears twice with different labels/,
    ],
    [
      'a package with no node group',
      ['inventory', '--for', tempDir('empty-pkg')],
      readFileSync(CLOUDS[0].dump, 'utf8'),
      /has no LocalModelNodeGroup/,
    ],
    [
      'node groups that select none of the nodes',
      ['inventory', '--for', pkg],
      readFileSync(CLOUDS[1].dump, 'utf8'),
      /no node of the 3 in stdin is selected by the node groups of .* \(workers\)/,
    ],
    ['a file that does not exist', ['inventory', join(pkg, 'missing.json')], '', /cannot read .*missing\.json/],
  ];
  for (const [name, args, input, message] of cases) {
    test(name, async () => {
      const result = await runInProcess(args, { input });
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
    });
  }
});
