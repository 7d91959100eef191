// The output ResourceList is printed in pieces, so that a fleet's thousands of Jobs never exist as YAML
// nodes all at once (fn/krm/resource-list.ts). These tests hold the pieces to the bytes of the
// straightforward way: every item made into a node of one document, printed at once.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Node as YamlNode } from 'yaml';
import { Document } from 'yaml';
import { generateResourceList } from '../bench/generate';
import { compile } from '../fn/compile';
import { keepLeadingCommentInside } from '../fn/krm/item-comments';
import type { KObject } from '../fn/krm/objects';
import type { ResourceListOutput } from '../fn/krm/resource-list';
import { parseResourceList, printResourceList, RESOURCE_LIST_API_VERSION } from '../fn/krm/resource-list';
import { CREATE_NODE_OPTIONS, OUTPUT_DOCUMENT_OPTIONS, TO_STRING_OPTIONS } from '../fn/krm/yaml-settings';
import { krm } from '../fn/modes/krm';
import { goldenCases } from './support/golden';
import { bundle } from './support/integrations';
import { fullSuiteOnly, propertyRuns } from './support/scope';

function printedWhole(out: ResourceListOutput, nodes: ReadonlyMap<KObject, YamlNode>): string {
  const doc = new Document(null, OUTPUT_DOCUMENT_OPTIONS);
  const node = (o: KObject) => nodes.get(o) ?? doc.createNode(o, CREATE_NODE_OPTIONS);
  const list: Record<string, unknown> = {
    apiVersion: RESOURCE_LIST_API_VERSION,
    kind: 'ResourceList',
    items: doc.createNode(out.items.map(node), CREATE_NODE_OPTIONS),
  };
  if (out.functionConfig) list.functionConfig = node(out.functionConfig);
  if (out.results.length > 0) list.results = out.results;
  doc.contents = doc.createNode(list, CREATE_NODE_OPTIONS);
  return doc.toString(TO_STRING_OPTIONS);
}

/** The function's own pieces and the one-document print of the same compiled output, prepared as krm() does. */
function bothWays(input: string, extraItems: KObject[] = []): { pieces: string[]; whole: string } {
  const parsed = parseResourceList(input);
  const compiled = compile(parsed.items, parsed.functionConfig);
  for (const node of parsed.nodes.values()) keepLeadingCommentInside(node);
  const out = {
    items: [...compiled.items, ...extraItems],
    functionConfig: parsed.functionConfig,
    results: compiled.results,
  };
  return { pieces: [...printResourceList(out, parsed.nodes)], whole: printedWhole(out, parsed.nodes) };
}

const FLEET = generateResourceList({ caches: 12, nodes: 30, inferenceServices: 20 });

/** Pass-through items whose printing depends on what surrounds them, ending just before the generated ones. */
const AWKWARD_INPUT = `# a comment before the list
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
# a comment before the first item

- apiVersion: v1
  kind: ConfigMap # a comment after a value
  metadata:
    name: flow-and-quotes
    annotations: {internal.config.kubernetes.io/path: a.yaml, internal.config.kubernetes.io/index: '0'}
  data: {mode: '0755', answer: "yes", time: '1:20'}

- apiVersion: serving.kserve.io/v1alpha1
  kind: LocalModelNodeGroup
  metadata:
    name: gpu
    annotations:
      internal.config.kubernetes.io/path: b.yaml
  spec:
    storageLimit: 1Ti
    persistentVolumeSpec:
      accessModes: [ReadWriteOnce]
      capacity: {storage: 1Ti}
      local: {path: /models}
      storageClassName: local-storage
      nodeAffinity:
        required:
          nodeSelectorTerms:
          - matchExpressions:
            - {key: pool, operator: In, values: [gpu]}
    persistentVolumeClaimSpec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Ti}}
      storageClassName: local-storage
- apiVersion: serving.kserve.io/v1alpha1
  kind: LocalModelCache
  metadata:
    name: llama
    annotations:
      internal.config.kubernetes.io/path: c.yaml
  spec:
    sourceModelUri: hf://meta/llama
    modelSize: 10Gi
    nodeGroups: [gpu]
- apiVersion: v1
  kind: Node
  metadata:
    name: node-a
    labels: {pool: gpu}
    annotations:
      internal.config.kubernetes.io/path: d.yaml
      config.kubernetes.io/local-config: "true"

  # a comment before the last item, after a blank line
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: kept-newlines
    annotations:
      internal.config.kubernetes.io/path: z.yaml
  data:
    script: |+
      echo kept


functionConfig:
  # a comment inside the function config
  apiVersion: fn.kserve-localmodel.dev/v1alpha1
  kind: LocalModelFnConfig
  metadata:
    name: config
  spec:
    outputDir: out # where the files go
`;

describe('output printed in pieces is byte-identical to printing it as one document', { skip: fullSuiteOnly }, () => {
  it('a generated fleet (12 caches × 30 nodes, InferenceServices, credentials)', () => {
    const { pieces, whole } = bothWays(FLEET);
    assert.ok(pieces.length > 100, 'the generated items are printed one at a time');
    assert.equal(pieces.join(''), whole);
  });

  it('pass-through items with comments, blank lines, flow style and a kept trailing newline before generated ones', () => {
    const { pieces, whole } = bothWays(AWKWARD_INPUT);
    assert.ok(pieces.length > 1, 'there are generated items');
    assert.equal(pieces.join(''), whole);
  });

  it('generated values that need quoting, keep chomping, empty collections, or several lines', () => {
    const awkward: KObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'awkward', labels: {} },
      data: {
        octal: '0755',
        bool: 'on',
        sexagesimal: '1:20',
        empty: '',
        multi: 'a\nb\n',
        spaces: '  lead',
        hash: 'a #b',
      },
      list: [[], {}, [['nested']], null, 1.5, true],
      kept: 'ends with blank lines\n\n\n',
    };
    const { pieces, whole } = bothWays(AWKWARD_INPUT, [awkward, { ...awkward, metadata: { name: 'after-kept' } }]);
    assert.equal(pieces.join(''), whole);
  });

  it('only generated items, and no items at all', () => {
    const onlyGenerated: ResourceListOutput = {
      items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }],
      results: [],
    };
    assert.equal([...printResourceList(onlyGenerated, new Map())].join(''), printedWhole(onlyGenerated, new Map()));
    const none: ResourceListOutput = { items: [], results: [{ severity: 'error', message: 'nothing to do' }] };
    assert.equal([...printResourceList(none, new Map())].join(''), printedWhole(none, new Map()));
  });

  it('holds for random generated objects after awkward pass-through items (fast-check)', () => {
    const parsed = parseResourceList(AWKWARD_INPUT);
    const yamlish = fc.constantFrom('yes', 'No', '0o17', '0x1F', '1e3', '~', 'null', '- a', 'a: b', '#', 'x\n\n', ' ');
    const tree = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        yamlish,
        fc.integer(),
        fc.double({ noNaN: true }),
        fc.boolean(),
        fc.constant(null),
        tie('list'),
        tie('dict'),
      ),
      list: fc.array(tie('value'), { maxLength: 4 }),
      dict: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 4 }),
    }));
    const item = fc.record({
      apiVersion: fc.constant('v1'),
      kind: fc.constant('ConfigMap'),
      metadata: fc.record({ name: fc.string() }),
      data: tree.dict,
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 5 }), (generated) => {
        const out = {
          items: [...parsed.items, ...(generated as KObject[])],
          functionConfig: parsed.functionConfig,
          results: [],
        };
        assert.equal([...printResourceList(out, parsed.nodes)].join(''), printedWhole(out, parsed.nodes));
      }),
      { numRuns: propertyRuns(150), seed: 7 },
    );
  });

  for (const c of goldenCases()) {
    it(`golden case ${c.name}`, () => {
      const { pieces, whole } = bothWays(readFileSync(join(c.dir, 'input.yaml'), 'utf8'));
      assert.equal(pieces.join(''), whole);
      assert.equal(
        whole,
        readFileSync(join(c.dir, 'expected-output.yaml'), 'utf8'),
        'the one-document print is what the goldens hold',
      );
    });
  }

  it('the built binary prints the same bytes through a real pipe', () => {
    const child = spawnSync(process.execPath, [bundle()], { input: FLEET, maxBuffer: 64 << 20 });
    assert.equal(child.status, 0, String(child.stderr));
    assert.equal(child.stdout.toString('utf8'), bothWays(FLEET).whole);
    assert.equal(krm(FLEET).text, bothWays(FLEET).whole);
  });
});
