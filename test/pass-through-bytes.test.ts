// Any pass-through document comes back byte for byte: random documents in the layout kpt writes
// (two-space indentation, `- ` under the key), full of ambiguous scalars, quoted strings with escapes,
// flow lists, block scalars and comments, through KRM mode and through render (fast-check).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFiles, stringifyManifests } from '../fn/krm/files';
import { kubernetesKey } from '../fn/krm/yaml-scalars';
import { krm } from '../fn/modes/krm';
import { propertyRuns } from './support/scope';

const AMBIGUOUS = [
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  'true',
  'False',
  '~',
  'null',
  'NULL',
  '0644',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '0_',
  '08',
  '1:20',
  '190:20:30',
  '1e3',
  '1E5',
  '.5',
  '1.',
  '1.10',
  'e3',
  'E5',
  'e2',
  '.',
  '2024-05-01T10:00:00+02:00',
  '2024-05-01',
  '9223372036854775807',
  '18446744073709551616',
  '.nan',
  '.inf',
  '-.inf',
  '+12',
  '-0',
  '1e400',
];
// biome-ignore format: one table
const ESCAPES = ['\\t', '\\n', '\\x41', '\\u00e9', '\\U0001F600', '\\"', '\\\\', '\\/', '\\0', '\\ '];

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const plainText = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9._/-]{0,12}$/);
const anyText = fc.string({
  unit: fc.constantFrom('a', 'B', ' ', "'", '"', '#', ':', '-', 'é', '✓', ',', '[', '{', '\\'),
});

/** A scalar as written on one line: plain, single-quoted or double-quoted with escapes. */
const scalar = fc.oneof(
  fc.constantFrom(...AMBIGUOUS),
  plainText,
  anyText.map((s) => `'${s.replaceAll("'", "''")}'`),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...ESCAPES),
        anyText.map((s) => s.replaceAll('\\', '').replaceAll('"', '')),
      ),
      {
        maxLength: 4,
      },
    )
    .map((parts) => `"${parts.join('')}"`),
);
const flowScalar = fc.oneof(
  fc.constantFrom(...AMBIGUOUS),
  plainText,
  anyText.map((s) => `'${s.replaceAll("'", "''")}'`),
);
const key = fc.oneof(
  { weight: 3, arbitrary: word },
  { weight: 1, arbitrary: fc.constantFrom(...AMBIGUOUS.filter((a) => kubernetesKey(a) !== null)) },
  { weight: 1, arbitrary: anyText.map((s) => `'${s.replaceAll("'", "''")}'`) },
);
// Editors strip trailing white space, and the printer does too.
const comment = fc.option(
  fc.stringMatching(/^[ a-zA-Z0-9:.,'"-]{0,20}[a-zA-Z0-9.]$/).map((c) => `#${c}`),
  {
    nil: undefined,
  },
);

type Value =
  | { scalar: string }
  | { flow: string[] }
  | { block: string[]; keep: boolean }
  | { list: string[] }
  | { map: Entry[] };
interface Entry {
  key: string;
  value: Value;
  before?: string;
  inline?: string;
}

const { map: mapping } = fc.letrec<{ map: Entry[]; value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((s) => ({ scalar: s })),
    fc.array(flowScalar, { maxLength: 4 }).map((items) => ({ flow: items })),
    fc.record({ block: fc.array(plainText, { minLength: 1, maxLength: 3 }), keep: fc.boolean() }),
    fc.array(scalar, { minLength: 1, maxLength: 3 }).map((items) => ({ list: items })),
    tie('map').map((entries) => ({ map: entries as Entry[] })),
  ),
  map: fc
    .uniqueArray(fc.record({ key, value: tie('value') as fc.Arbitrary<Value>, before: comment, inline: comment }), {
      minLength: 1,
      maxLength: 5,
      selector: (e) => kubernetesKey(e.key.startsWith("'") ? e.key.slice(1, -1).replaceAll("''", "'") : e.key),
    })
    .map((entries) => entries as Entry[]),
}));

/** kpt's layout: two spaces a level, `- ` at the key's column, a comment on its own line at its key's column. */
function print(entries: Entry[], indent: string): string {
  return entries
    .map(({ key, value, before, inline }) => {
      const head = `${before ? `${indent}${before}\n` : ''}${indent}${key}:`;
      const after = inline ? ` ${inline}` : '';
      if ('scalar' in value) return `${head} ${value.scalar}${after}\n`;
      if ('flow' in value) return `${head} [${value.flow.join(', ')}]${after}\n`;
      if ('block' in value)
        return `${head} |${value.keep ? '' : '-'}${after}\n${value.block.map((l) => `${indent}  ${l}\n`).join('')}`;
      if ('list' in value) return `${head}${after}\n${value.list.map((s) => `${indent}- ${s}\n`).join('')}`;
      return `${head}${after}\n${print(value.map, `${indent}  `)}`;
    })
    .join('');
}

const document = (spec: Entry[], comments: { head?: string; tail?: string }) =>
  `${comments.head ? `${comments.head}\n` : ''}apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\n` +
  `spec:\n${print(spec, '  ')}${comments.tail ? `${comments.tail}\n` : ''}`;

const documents = fc.record({ spec: mapping, head: comment, tail: comment });

describe('a pass-through document round-trips byte for byte', () => {
  it('through KRM mode, apart from the annotations kpt owns', () => {
    fc.assert(
      fc.property(documents, ({ spec, head, tail }) => {
        const item = `- ${document(spec, { head })
          .replace('  name: t\n', "  name: t\n  annotations:\n    internal.config.kubernetes.io/path: 'thing.yaml'\n")
          .split('\n')
          .join('\n  ')
          .trimEnd()}\n${tail ? `  ${tail}\n` : ''}`;
        const outcome = krm(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item}`);
        assert.equal(outcome.exitCode, 0, outcome.text);
        assert.equal(outcome.text.slice(outcome.text.indexOf('items:\n') + 'items:\n'.length), item);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('through render, comments at the head and the foot of the file included', () => {
    fc.assert(
      fc.property(documents, ({ spec, head, tail }) => {
        const text = document(spec, { head, tail });
        const parsed = parseFiles([{ path: 'thing.yaml', text }]);
        assert.equal(stringifyManifests(parsed.items, parsed.nodes), text);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
