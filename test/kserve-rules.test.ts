// One case per KServe rule the function must match byte for byte (docs/kserve-rules.md names each rule's test).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cache } from '../fn/inputs/index-inputs';
import { indexInputs } from '../fn/inputs/index-inputs';
import type { KObject } from '../fn/krm/objects';
import { goJsonMarshalStringMap } from '../fn/kserve/go-json';
import { cacheUseOf, DISABLE_LOCALMODEL_ANNOTATION, storageUriOf } from '../fn/kserve/isvc-usage';
import { nodeMatchesTerms, requirementMatches } from '../fn/kserve/node-affinity';
import { goRegExp, matchingStorageContainers } from '../fn/kserve/storage-container';
import { modelFolder, storageKey } from '../fn/kserve/storage-key';
import { uriUsesCache } from '../fn/kserve/uri-match';
import { downloadPvcName, downloadPvName, jobName, servingPvcName, servingPvName } from '../fn/names/objects';
import { cache, isvc } from './support/fixtures';

describe('storage key: first 16 hex chars of SHA-256 of the raw URI', () => {
  const vectors: [string, string][] = [
    ['s3://mybucket/mymodel', '89da10faf446bbf1'],
    ['hf://meta-llama/meta-llama-3-8b-instruct', 'c277d78a31bc6624'],
    ['s3://foo', '83fbff445b51876f'],
    ['s3://foo/', 'e65e626ad747873c'],
  ];
  for (const [uri, key] of vectors) it(`${uri} → ${key}`, () => assert.equal(storageKey(uri), key));
  it('does not trim: a trailing slash is another folder', () =>
    assert.notEqual(storageKey('gs://b/m'), storageKey('gs://b/m/')));
  it('the folder is models/<key>', () => assert.equal(modelFolder(storageKey('s3://foo')), 'models/83fbff445b51876f'));
});

describe('URI matching: equal, or the cache URI followed by "/"', () => {
  const table: [string, string, boolean][] = [
    ['gs://bucket/model', 'gs://bucket/model', true],
    ['gs://bucket/model/', 'gs://bucket/model', true],
    ['gs://bucket/model', 'gs://bucket/model/', true],
    ['gs://bucket/model/sub', 'gs://bucket/model', true],
    ['gs://bucket/model/sub/deeper', 'gs://bucket/model/', true],
    ['gs://bucket/model-evil', 'gs://bucket/model', false],
    ['gs://bucket/mode', 'gs://bucket/model', false],
    ['gs://bucket', 'gs://bucket/model', false],
    ['s3://bucket/model', 'gs://bucket/model', false],
    ['gs://bucket/model//', 'gs://bucket/model', true],
    ['gs://bucket/model/x', 'gs://bucket/model//', false],
  ];
  for (const [isvcUri, cacheUri, expected] of table) {
    it(`${isvcUri} ${expected ? 'uses' : 'does not use'} ${cacheUri}`, () =>
      assert.equal(uriUsesCache(isvcUri, cacheUri), expected));
  }
});

describe('node affinity: terms ORed, requirements ANDed, six operators', () => {
  const labels = { zone: 'a', gpu: 'true', 'gpu-count': '8' };
  const cases: [string, object, boolean][] = [
    ['In matches a listed value', { key: 'zone', operator: 'In', values: ['a', 'b'] }, true],
    ['In fails on an unlisted value', { key: 'zone', operator: 'In', values: ['b'] }, false],
    ['In fails on a missing key', { key: 'rack', operator: 'In', values: ['a'] }, false],
    ['NotIn matches an unlisted value', { key: 'zone', operator: 'NotIn', values: ['b'] }, true],
    ['NotIn matches a missing key', { key: 'rack', operator: 'NotIn', values: ['a'] }, true],
    ['NotIn fails on a listed value', { key: 'zone', operator: 'NotIn', values: ['a'] }, false],
    ['Exists matches a present key', { key: 'gpu', operator: 'Exists' }, true],
    ['Exists fails on a missing key', { key: 'rack', operator: 'Exists' }, false],
    ['DoesNotExist matches a missing key', { key: 'rack', operator: 'DoesNotExist' }, true],
    ['DoesNotExist fails on a present key', { key: 'gpu', operator: 'DoesNotExist' }, false],
    ['Gt compares integers', { key: 'gpu-count', operator: 'Gt', values: ['4'] }, true],
    ['Gt fails when equal', { key: 'gpu-count', operator: 'Gt', values: ['8'] }, false],
    ['Lt compares integers, not strings', { key: 'gpu-count', operator: 'Lt', values: ['10'] }, true],
    ['Gt on a non-integer label never matches', { key: 'zone', operator: 'Gt', values: ['1'] }, false],
    ['an unknown operator never matches', { key: 'zone', operator: 'Like', values: ['a'] }, false],
  ];
  for (const [name, requirement, expected] of cases)
    it(name, () => assert.equal(requirementMatches(requirement, labels), expected));

  const node = { name: 'gpu-1', labels };
  it('requirements inside a term are ANDed', () => {
    assert.equal(
      nodeMatchesTerms(node, [
        {
          matchExpressions: [
            { key: 'zone', operator: 'In', values: ['a'] },
            { key: 'gpu', operator: 'DoesNotExist' },
          ],
        },
      ]),
      false,
    );
  });
  it('a term or requirement of the wrong shape matches nothing, and never throws (groups are matched before validation)', () => {
    const gpu = { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] };
    const malformed: unknown[] = [
      null,
      'gpu',
      { matchExpressions: 'gpu' },
      { matchExpressions: [null] },
      { matchExpressions: [{ key: 7, operator: 'Exists' }] },
      { matchExpressions: [{ key: 'zone', operator: 'In', values: 'a' }] },
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: [1, 'gpu-1'] }], matchExpressions: [3] },
    ];
    for (const term of malformed) {
      const terms = [term] as Parameters<typeof nodeMatchesTerms>[1];
      assert.equal(nodeMatchesTerms(node, terms), false, JSON.stringify(term));
      assert.equal(nodeMatchesTerms(node, [...(terms ?? []), gpu]), true, `${JSON.stringify(term)}, then a good term`);
    }
    assert.equal(nodeMatchesTerms(node, { length: 1 } as unknown as Parameters<typeof nodeMatchesTerms>[1]), false);
  });
  it('terms are ORed', () => {
    assert.equal(
      nodeMatchesTerms(node, [
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] },
        { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
      ]),
      true,
    );
  });
  it('matchFields matches metadata.name', () => {
    assert.equal(
      nodeMatchesTerms(node, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-1'] }] }]),
      true,
    );
    assert.equal(
      nodeMatchesTerms(node, [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['gpu-1'] }] }]),
      false,
    );
  });
  it('a PV without required node affinity matches no node', () => {
    assert.equal(nodeMatchesTerms(node, undefined), false);
    assert.equal(nodeMatchesTerms(node, []), false);
  });
  it('an empty term selects nothing', () => assert.equal(nodeMatchesTerms(node, [{}]), false));
});

describe('names: KServe concatenations for volumes, fixed hashed names for Jobs', () => {
  const cluster = { kind: 'LocalModelCache', name: 'llama', namespace: '' } as Cache;
  const namespaced = { kind: 'LocalModelNamespaceCache', name: 'llama', namespace: 'team-a' } as Cache;
  it('cluster cache: download PV <cache>-<ng>-download, download PVC <cache>-<ng>', () => {
    assert.equal(downloadPvName(cluster, 'gpu'), 'llama-gpu-download');
    assert.equal(downloadPvcName(cluster, 'gpu'), 'llama-gpu');
  });
  it('cluster cache: serving PV <cache>-<ng>-<isvcNs>, serving PVC <cache>-<ng>', () => {
    assert.equal(servingPvName(cluster, 'gpu', 'team-b'), 'llama-gpu-team-b');
    assert.equal(servingPvcName(cluster, 'gpu'), 'llama-gpu');
  });
  it('namespaced cache: download PV and PVC <cache>-<ng>-<ns>-download, serving PV <cache>-<ng>-<ns>', () => {
    assert.equal(downloadPvName(namespaced, 'gpu'), 'llama-gpu-team-a-download');
    assert.equal(downloadPvcName(namespaced, 'gpu'), 'llama-gpu-team-a-download');
    assert.equal(servingPvName(namespaced, 'gpu', 'ignored'), 'llama-gpu-team-a');
    assert.equal(servingPvcName(namespaced, 'gpu'), 'llama-gpu');
  });
  const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  it('a Job name is a DNS-1123 label of at most 63 characters', () => {
    for (const [c, n] of [
      ['llama', 'gpu-1'],
      ['a'.repeat(63), 'b'.repeat(63)],
      ['Model.V2', 'ip-10-0-0-1.ec2.internal'],
      ['x', '-'],
    ]) {
      const name = jobName(c, n, 'fingerprint');
      assert.ok(name.length <= 63, `${name} is ${name.length} long`);
      assert.match(name, dns1123Label);
    }
  });
  it('a Job name keeps cache and node readable and changes with the Job', () => {
    assert.match(jobName('llama', 'gpu-1', 'a'), /^llama-gpu-1-[0-9a-f]{10}$/);
    assert.notEqual(jobName('llama', 'gpu-1', 'a'), jobName('llama', 'gpu-1', 'b'));
    assert.equal(jobName('llama', 'gpu-1', 'a'), jobName('llama', 'gpu-1', 'a'));
  });
});

describe("Go's json.Marshal of map[string]string", () => {
  it('sorts keys and writes compact JSON', () =>
    assert.equal(goJsonMarshalStringMap({ type: 's3', region: 'us-west-2' }), '{"region":"us-west-2","type":"s3"}'));
  it('escapes <, > and & as \\u003c, \\u003e, \\u0026', () =>
    assert.equal(goJsonMarshalStringMap({ q: 'a<b>&c' }), '{"q":"a\\u003cb\\u003e\\u0026c"}'));
  it('escapes U+2028 and U+2029', () =>
    assert.equal(goJsonMarshalStringMap({ s: '\u2028\u2029' }), '{"s":"\\u2028\\u2029"}'));
  it('sorts by UTF-8 bytes, not UTF-16 units', () =>
    assert.equal(goJsonMarshalStringMap({ '\u{1F600}': '1', '\uFF61': '2' }), '{"｡":"2","😀":"1"}'));
  it('writes an empty map as {}', () => assert.equal(goJsonMarshalStringMap({}), '{}'));
});

describe('ClusterStorageContainer matching', () => {
  const csc = (name: string, formats: object[], extra: object = {}) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ClusterStorageContainer',
    metadata: { name },
    spec: { container: { name: 'c', image: 'i' }, supportedUriFormats: formats, workloadType: 'localModelDownloadJob' },
    ...extra,
  });
  /** The containers as the function reads them (indexInputs), then KServe's matching. */
  const matching = (cscs: KObject[], uri: string) =>
    matchingStorageContainers(indexInputs(cscs).storageContainers, uri);
  it('a prefix is a plain prefix', () =>
    assert.equal(matching([csc('a', [{ prefix: 'hf://' }])], 'hf://x/y').length, 1));
  it('a regex matches anywhere (unanchored)', () =>
    assert.equal(matching([csc('a', [{ regex: 'llama' }])], 'hf://meta/llama-3').length, 1));
  it('a disabled one and an initContainer one never match', () => {
    assert.equal(matching([csc('a', [{ prefix: 'hf://' }], { disabled: true })], 'hf://x').length, 0);
    const init = csc('b', [{ prefix: 'hf://' }]);
    init.spec.workloadType = 'initContainer';
    assert.equal(matching([init], 'hf://x').length, 0);
  });
  it('several matches come first by name', () => {
    assert.deepEqual(
      matching([csc('zeta', [{ prefix: 'hf://' }]), csc('alpha', [{ prefix: 'hf' }])], 'hf://x').map((c) => c.name),
      ['alpha', 'zeta'],
    );
  });
  it("RE2's leading (?i) flag is honoured", () => assert.equal(goRegExp('(?i)^HF://').test('hf://x'), true));
});

describe('which storage URI an InferenceService names, and how it opts out', () => {
  const caches = indexInputs([cache('m', 'hf://org/model')]).caches;
  it('spec.predictor.model.storageUri', () =>
    assert.equal(storageUriOf(isvc('a', 'team', 'hf://org/model')), 'hf://org/model'));
  it('the framework form spec.predictor.<framework>.storageUri', () => {
    const framework = { ...isvc('a', 'team', ''), spec: { predictor: { sklearn: { storageUri: 'hf://org/model' } } } };
    assert.equal(storageUriOf(framework), 'hf://org/model');
  });
  it("an LLMInferenceService's spec.model.uri", () => {
    const llm = { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'LLMInferenceService', metadata: { name: 'a' } };
    assert.equal(storageUriOf({ ...llm, spec: { model: { uri: 'hf://org/model' } } }), 'hf://org/model');
  });
  it('serving.kserve.io/disable-localmodel, whatever its value, uses no cache', () => {
    assert.equal(cacheUseOf(isvc('a', 'team', 'hf://org/model'), caches).use?.cache.name, 'm');
    const optedOut = isvc('a', 'team', 'hf://org/model', { [DISABLE_LOCALMODEL_ANNOTATION]: 'false' });
    assert.deepEqual(cacheUseOf(optedOut, caches), {});
  });
  it('the node group annotation picks the cache that has the group; the same model on another group is told apart', () => {
    const two = indexInputs([cache('a', 'hf://org/model', ['g1']), cache('b', 'hf://org/model', ['g2'])]).caches;
    const wanting = (group: string) =>
      cacheUseOf(isvc('s', 'team', 'hf://org/model', { 'serving.kserve.io/nodegroup': group }), two);
    const pick = (u?: { cache: { name: string }; nodeGroupName: string }) => u && [u.cache.name, u.nodeGroupName];
    assert.deepEqual(pick(wanting('g2').use), ['b', 'g2']);
    assert.deepEqual(pick(wanting('g2').sameModel), ['a', 'g1']);
    assert.equal(wanting('g3').use, undefined);
    assert.deepEqual(pick(wanting('g3').sameModel), ['a', 'g1']);
    assert.equal(wanting('').use, undefined, 'an empty annotation names no group');
    const plain = cacheUseOf(isvc('s', 'team', 'hf://org/model'), two);
    assert.deepEqual(
      [pick(plain.use), pick(plain.sameModel)],
      [
        ['a', 'g1'],
        ['a', 'g1'],
      ],
    );
  });
});
