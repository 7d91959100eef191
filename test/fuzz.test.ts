// Property: whatever a package is mutated into, the function never crashes or hangs, always prints a
// ResourceList, and either succeeds with objects the Kubernetes schemas and the API server's field
// rules accept (support/apiserver.ts) or fails with an error result and no generated object. Seeds
// are the golden inputs and fixture packages; mutations delete fields, change types, swap values,
// duplicate items, put random strings in names and URIs, put huge numbers in sizes, and damage the
// YAML text itself. Fixed seed: every run tries the same cases.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import type { KObject } from '../fn/krm/objects';
import type { Result } from '../fn/krm/results';
import { krm } from '../fn/modes/krm';
import { cache, isvc, namespacedCache, node, nodeGroup } from './support/fixtures';
import { goldenCases } from './support/golden';
import { generated } from './support/harness';
import { validateAgainstKubernetes } from './support/kubernetes-schema';
import { fullSuiteOnly } from './support/scope';

// Fixed, so CI always tries the same cases; FUZZ_SEED and FUZZ_RUNS explore further by hand.
const SEED = Number(process.env.FUZZ_SEED ?? 20260826);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
/** Far above any single case (a few milliseconds): only a hang gets near it. */
const CASE_TIME_LIMIT_MS = 5000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const seeds: Json[] = [
  ...goldenCases().map((c) => parse(readFileSync(join(c.dir, 'input.yaml'), 'utf8'), { version: '1.1' }) as Json),
  list([
    nodeGroup('workers'),
    cache('llama', 's3://models/llama'),
    node('gpu-1'),
    node('gpu-2'),
    isvc('chat', 'team-a', 's3://models/llama'),
  ]),
  list([
    nodeGroup('a100', { accelerator: ['a100'] }),
    nodeGroup('h100', { accelerator: ['h100'] }, '200Gi'),
    cache('big', 'hf://org/big', ['h100', 'a100'], { modelSize: '90Gi' }),
    namespacedCache('small', 'team-b', 'gs://b/small', ['a100']),
    node('n1', { accelerator: 'a100' }),
    node('n2', { accelerator: 'h100' }),
    isvc('svc', 'team-b', 'gs://b/small/v1'),
  ]),
];

function list(items: unknown[]): Json {
  return JSON.parse(JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items })) as Json;
}

const OPS = ['delete', 'retype', 'swap', 'duplicate', 'rename', 'huge', 'text'] as const;
type Op = (typeof OPS)[number];

interface Mutation {
  op: Op;
  /** Positions in [0, 1): which resource, which node in it, which second node, where in the text. */
  where: number;
  at: number;
  at2: number;
  value: Json;
  text: string;
}

const SPECIAL_STRINGS = [
  '',
  ' ',
  'yes',
  'no',
  'on',
  '0755',
  '1:20',
  '~',
  'null',
  '-',
  '.',
  '..',
  '../x',
  'a'.repeat(300),
  'S3://b/m',
  'hf://a/b/',
  'pvc://p/m',
  's3://',
  'gs://b/m ',
  '\u0000',
  'é',
  'ÄÖÜ',
  '日本',
  '{{x}}',
  '*a',
  '&a',
  '!!binary',
  '#',
  '- x',
  'a: b',
];
const HUGE = [
  '99999999999999999999999999999Ei',
  '1e999999999',
  '9223372036854775808',
  '8Ei',
  '-1Gi',
  '0',
  '1e2.5',
  '1m',
  1e308,
  -1,
  0,
  2 ** 63,
  Number.MAX_SAFE_INTEGER,
  1.5,
];

const stringArb = fc.oneof(
  fc.constantFrom(...SPECIAL_STRINGS),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,70}$/),
);
const valueArb: fc.Arbitrary<Json> = fc.oneof(
  stringArb,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom<Json>(true, false, null, [], {}, 1e308, -0),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);
const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
/** Changing a value's type is what reaches the most code; every operation still gets its share. */
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Op>('retype') },
  { weight: 2, arbitrary: fc.constantFrom<Op>('delete', 'rename') },
  { weight: 1, arbitrary: fc.constantFrom<Op>('swap', 'duplicate', 'huge', 'text') },
);
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: opArb,
  where: position,
  at: position,
  at2: position,
  value: valueArb,
  text: stringArb,
});
const caseArb = fc.record({
  seed: fc.nat({ max: seeds.length - 1 }),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
});

interface Slot {
  parent: Json[] | { [key: string]: Json };
  key: string | number;
}

/** Every value of the tree as (parent, key), in a stable order. */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const value = stack.pop() as Json;
    if (Array.isArray(value)) {
      value.forEach((child, i) => {
        out.push({ parent: value, key: i });
        stack.push(child);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        out.push({ parent: value, key });
        stack.push(child);
      }
    }
  }
  return out;
}

const pick = <T>(xs: readonly T[], at: number): T | undefined =>
  xs.length === 0 ? undefined : xs[Math.floor(at * xs.length)];
const read = (s: Slot): Json => (s.parent as Record<string | number, Json>)[s.key];
const write = (s: Slot, v: Json) => {
  (s.parent as Record<string | number, Json>)[s.key] = v;
};
const NAME_KEYS = new Set([
  'name',
  'namespace',
  'sourceModelUri',
  'storageUri',
  'uri',
  'nodeGroups',
  'serviceAccountName',
  'key',
  'prefix',
  'regex',
]);
const SIZE_KEYS = new Set(['modelSize', 'storageLimit', 'storage', 'jobTTLSecondsAfterFinished', 'fsGroup']);

/**
 * One resource (or the function config, or the list itself) first, then a node in it: small resources
 * such as a node group get as many mutations as large ones.
 */
function scope(root: Json, m: Mutation): Json {
  const list = root as { items?: Json; functionConfig?: Json };
  const resources = [
    root,
    ...(Array.isArray(list.items) ? list.items : []),
    ...(list.functionConfig ? [list.functionConfig] : []),
  ];
  return pick(resources, m.where) as Json;
}

function mutateTree(root: Json, m: Mutation): void {
  const all = slots(scope(root, m));
  const target = pick(all, m.at);
  switch (m.op) {
    case 'delete':
      if (!target) return;
      if (Array.isArray(target.parent)) target.parent.splice(target.key as number, 1);
      else delete target.parent[target.key as string];
      return;
    case 'retype':
      if (target) write(target, m.value);
      return;
    case 'swap': {
      const other = pick(all, m.at2);
      if (!target || !other) return;
      const a = read(target);
      write(target, read(other));
      write(other, structuredClone(a));
      return;
    }
    case 'duplicate': {
      const items = (root as { items?: Json }).items;
      if (!Array.isArray(items) || items.length === 0) return;
      items.push(structuredClone(pick(items, m.at) as Json));
      return;
    }
    case 'rename': {
      const named = all.filter(
        (s) => NAME_KEYS.has(String(s.key)) || (Array.isArray(s.parent) && typeof read(s) === 'string'),
      );
      const slot = pick(named, m.at);
      if (slot) write(slot, m.text);
      return;
    }
    case 'huge': {
      const sized = all.filter((s) => SIZE_KEYS.has(String(s.key)) || typeof read(s) === 'number');
      const slot = pick(sized, m.at);
      if (slot) write(slot, pick(HUGE, m.at2) as Json);
      return;
    }
    case 'text':
      return; // applied to the YAML text, after the tree
  }
}

/** Damage to the text: cut a slice, or insert a string, somewhere. */
function mutateText(text: string, m: Mutation): string {
  const at = Math.floor(m.at * text.length);
  if (m.at2 < 0.5) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(m.at2 * 40)));
  return text.slice(0, at) + m.text + text.slice(at);
}

function inputOf(c: { seed: number; mutations: Mutation[] }): string {
  const tree = structuredClone(seeds[c.seed]);
  for (const m of c.mutations) mutateTree(tree, m);
  let text = stringify(tree, { version: '1.1', aliasDuplicateObjects: false });
  for (const m of c.mutations) if (m.op === 'text') text = mutateText(text, m);
  return text;
}

describe('fuzz: mutated packages', { skip: fullSuiteOnly }, () => {
  it(`${RUNS} mutated packages (seed ${SEED}): never a crash or a hang, always a ResourceList, valid output or an error`, () => {
    let cases = 0;
    let succeeded = 0;
    const started = Date.now();
    fc.assert(
      fc.property(caseArb, (c) => {
        const input = inputOf(c);
        cases++;
        const t0 = Date.now();
        const outcome = krm(input);
        assert.ok(Date.now() - t0 < CASE_TIME_LIMIT_MS, 'a case took too long');
        const list = parse(outcome.text, { version: '1.1' }) as {
          kind?: string;
          items?: KObject[];
          results?: Result[];
        };
        assert.equal(list.kind, 'ResourceList');
        assert.ok(Array.isArray(list.items), 'items is always a list');
        const results = list.results ?? [];
        assert.ok(
          !results.some((r) => r.message.startsWith('internal error')),
          results.map((r) => r.message).join('\n'),
        );
        const errors = results.filter((r) => r.severity === 'error');
        if (outcome.exitCode === 0) {
          succeeded++;
          assert.equal(errors.length, 0);
          for (const o of generated(list.items ?? [])) validateAgainstKubernetes(o);
        } else {
          assert.equal(outcome.exitCode, 1);
          assert.ok(errors.length > 0, 'exit 1 comes with an error result');
          assert.deepEqual(generated(list.items ?? []), [], 'no generated object beside an error');
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `# fuzz: ${cases} cases in ${seconds} s (seed ${SEED}), ${succeeded} produced output, ${cases - succeeded} failed with error results\n`,
    );
    assert.equal(cases, RUNS);
  });
});
