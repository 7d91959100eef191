// Duplicate keys are found by yaml-read.ts, one Set per mapping, instead of by the yaml library's own
// check, which compares each key with every earlier one (quadratic: a 40,000-key ConfigMap took 15 s).
// The two must agree on every document: whether a key repeats, and where the first repeat stands.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineCounter, parseAllDocuments } from 'yaml';
import { readYamlStream } from '../fn/krm/yaml-read';
import { PARSE_OPTIONS } from '../fn/krm/yaml-settings';
import { propertyRuns } from './support/scope';

/** Keys that are equal, or look equal and are not, as YAML 1.1 and the library's check read them. */
const KEYS = ['a', '"a"', "'a'", 'b', '1', '"1"', '01', '1.0', 'true', 'yes', 'on', '!!str a', '!!str 1', '"k: x"'];

type Tree =
  | { kind: 'scalar' }
  | { kind: 'map'; flow: boolean; entries: [string, Tree][] }
  | { kind: 'seq'; items: Tree[] };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<Tree>({ kind: 'scalar' }),
    fc.record({
      kind: fc.constant('map' as const),
      flow: fc.boolean(),
      entries: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('tree')), { minLength: 1, maxLength: 5 }),
    }),
    fc.record({ kind: fc.constant('seq' as const), items: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
  ),
})).tree;

/** A flow collection holds only flow content. */
function flow(t: Tree): string {
  if (t.kind === 'scalar') return 'v';
  if (t.kind === 'seq') return `[${t.items.map(flow).join(', ')}]`;
  return `{${t.entries.map(([k, v]) => `${k}: ${flow(v)}`).join(', ')}}`;
}

/** Block style at an indent, flow style where the tree says so. */
function block(t: Tree, indent: string): string {
  if (t.kind === 'scalar') return ' v\n';
  if (t.kind === 'map' && t.flow) return ` ${flow(t)}\n`;
  if (t.kind === 'seq') return `\n${t.items.map((item) => `${indent}-${block(item, `${indent}  `)}`).join('')}`;
  return `\n${t.entries.map(([k, v]) => `${indent}${k}:${block(v, `${indent}  `)}`).join('')}`;
}

const documentOf = (entries: [string, Tree][]): string => block({ kind: 'map', flow: false, entries }, '').slice(1);

/**
 * The first duplicate key by position among all the library's own check reports, or undefined. (The
 * library reports them in the order it finishes mappings, so in a flow mapping a repeat inside a value
 * comes before an earlier repeat of the mapping's own; we report the one that stands first.)
 */
function libraryDuplicate(text: string): { line: number; col: number } | undefined {
  const lineCounter = new LineCounter();
  const [doc] = parseAllDocuments(text, { ...PARSE_OPTIONS, uniqueKeys: true, lineCounter });
  const errors = 'errors' in doc ? doc.errors : [];
  const other = errors.find((e) => e.code !== 'DUPLICATE_KEY');
  assert.equal(other, undefined, `the generator wrote invalid YAML:\n${text}`);
  const offsets = errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]);
  return offsets.length > 0 ? lineCounter.linePos(Math.min(...offsets)) : undefined;
}

function ourDuplicate(text: string): { line: number; col: number } | undefined {
  const { problem } = readYamlStream(text);
  if (!problem || !/appears twice in one mapping/.test(problem.message)) return undefined;
  return { line: problem.line as number, col: problem.col as number };
}

describe('duplicate keys', () => {
  it('found when the yaml library finds one, at the first place it reports, in block and flow mappings at any depth (fast-check)', () => {
    let found = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...KEYS), tree), { minLength: 1, maxLength: 6 }), (entries) => {
        const text = documentOf(entries);
        const expected = libraryDuplicate(text);
        if (expected) found++;
        assert.deepEqual(ourDuplicate(text), expected, text);
      }),
      { numRuns: propertyRuns(500), seed: 20261130 },
    );
    assert.ok(found > 100, `the generator makes duplicates often enough to test them (${found} of 500)`);
  });

  it('a repeat far down a mapping of 40,000 keys is found, with its line', () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `k${i}: v`);
    const { problem } = readYamlStream(`${lines.join('\n')}\nk123: again\n`);
    assert.equal(problem?.line, 40_001);
    assert.match(problem?.message ?? '', /^the key "k123" appears twice in one mapping/);
  });
});
