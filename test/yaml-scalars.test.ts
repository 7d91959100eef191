// Ambiguous scalars, one row each: printed back exactly as written wherever an item passes through,
// and read as Kubernetes' own YAML reader reads them wherever the function reads one (docs/yaml-scalars.md).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFnConfig } from '../fn/inputs/fn-config';
import { nodeInventory } from '../fn/inputs/node-inventory';
import { parseQuantity } from '../fn/k8s/quantity';
import { parseFiles, stringifyManifests } from '../fn/krm/files';
import { parseResourceList } from '../fn/krm/resource-list';
import { kubernetesKey } from '../fn/krm/yaml-scalars';
import { krm } from '../fn/modes/krm';
import { cache, nodeGroup } from './support/fixtures';
import { errors, generated, ofKind, run } from './support/harness';

interface Row {
  text: string;
  /** What Kubernetes reads: the JSON value of the scalar. */
  value: unknown;
  /** The key it makes in JSON; null: Kubernetes refuses it as a key. */
  key: string | null;
  /** What a Node label written this way reads as (a string field). */
  label: string;
}

const s = (text: string): Row => ({ text, value: text, key: text, label: text });
const t = (text: string, value: unknown, key: string | null, label: string): Row => ({ text, value, key, label });

const ROWS: Row[] = [
  // YAML 1.1 booleans are booleans to Kubernetes; case matters.
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'].map((w) => t(w, true, 'true', 'true')),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'].map((w) =>
    t(w, false, 'false', 'false'),
  ),
  s('tRUE'),
  s('yES'),
  // Null.
  ...['~', 'null', 'Null', 'NULL'].map((w) => t(w, null, null, '')),
  s('nULL'),
  // Octal, hexadecimal and binary integers, YAML 1.1 and 1.2 spellings, underscores dropped.
  t('0644', 420, '420', '420'),
  t('0o644', 420, '420', '420'),
  t('0x1F', 31, '31', '31'),
  t('0b101', 5, '5', '5'),
  t('1_000', 1000, '1000', '1000'),
  t('0_', 0, '0', '0'),
  t('-0', 0, '0', '0'),
  t('+12', 12, '12', '12'),
  t('08', 8, '8', '8'), // not octal: a float
  // Sexagesimals are strings.
  s('1:20'),
  s('190:20:30'),
  // Floats.
  t('1e3', 1000, '1000', '1000'),
  t('1E5', 100000, '100000', '100000'),
  t('.5', 0.5, '0.5', '0.5'),
  t('-.5', -0.5, '-0.5', '-0.5'),
  t('1.', 1, '1', '1'),
  t('1.10', 1.1, '1.1', '1.1'),
  t('1e6', 1e6, '1e+06', '1000000'), // a whole float reads as an integer label (Kubernetes: 1e+06)
  t('1.234567891', 1.234567891, '1.2345679', '1.2345679'),
  s('e3'),
  s('E5'),
  s('e2'),
  s('.'),
  s('._5'),
  s('1e400'),
  s('0x1p3'),
  // Timestamps stay the text they were written as.
  s('2024-05-01T10:00:00+02:00'),
  s('2024-05-01'),
  s('2024-05-01 10:00:00'),
  // Big integers: int64, then uint64, then a float. Exact as keys; a value past 2^53 is read to the
  // nearest double, so a label holds its digits (Kubernetes: 9223372036854775807, 1.8446744e+19).
  t('9223372036854775807', 2 ** 63, '9223372036854775807', '9223372036854775808'),
  t('18446744073709551615', 2 ** 64, '18446744073709551615', '18446744073709551616'),
  t('18446744073709551616', 2 ** 64, '1.8446744e+19', '18446744073709551616'),
  // Not-a-number and infinities.
  ...['.nan', '.NaN', '.NAN'].map((w) => t(w, Number.NaN, '.nan', '.nan')),
  ...['.inf', '+.inf', '.Inf', '+.INF'].map((w) => t(w, Number.POSITIVE_INFINITY, '.inf', '.inf')),
  t('-.inf', Number.NEGATIVE_INFINITY, '-.inf', '-.inf'),
  s('nan'),
  s('inf'),
];

const HEADER = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';

/** One pass-through ConfigMap holding the scalar as a value, a key (unless null), a flow item and a quoted form. */
function configMapItem(text: string, asKey = kubernetesKey(text) !== null): string {
  return [
    '- apiVersion: v1',
    '  kind: ConfigMap',
    '  metadata:',
    '    name: scalars # a comment',
    '    annotations:',
    "      internal.config.kubernetes.io/path: 'scalars.yaml'",
    '  data:',
    `    value: ${text}`,
    ...(asKey ? [`    ${text}: as a key`] : []),
    `    flow: [${text}, "${text}", '${text}']`,
    `    quoted: "${text}"`,
    '',
  ].join('\n');
}

describe('an ambiguous scalar passes through as written', () => {
  for (const row of ROWS) {
    it(`${row.text} in KRM mode`, () => {
      const item = configMapItem(row.text);
      const outcome = krm(HEADER + item);
      assert.equal(outcome.exitCode, 0, outcome.text);
      assert.ok(outcome.text.includes(`items:\n${item}`), outcome.text);
    });
    it(`${row.text} in render mode`, () => {
      const file = `# head\n${configMapItem(row.text)
        .split('\n')
        .map((l) => l.slice(2))
        .join('\n')}# tail\n`;
      const parsed = parseFiles([{ path: 'scalars.yaml', text: file }]);
      assert.equal(stringifyManifests(parsed.items, parsed.nodes), file.replace(/ {2}annotations:\n.*\n/, ''));
    });
  }
});

describe('an ambiguous scalar reads as Kubernetes reads it', () => {
  for (const row of ROWS) {
    it(`${row.text} as a value, a key and a label`, () => {
      const { items } = parseResourceList(HEADER + configMapItem(row.text));
      const data = items[0].data as Record<string, unknown>;
      assert.deepEqual(data.value, row.value);
      assert.equal(data.quoted, row.text, 'a quoted scalar is always a string');
      assert.equal(kubernetesKey(row.text), row.key);
      if (row.key !== null) assert.equal(data[row.key], 'as a key');
      const [entry] = nodeInventory([{ metadata: { name: 'n1', labels: { l: data.value as string } } }], []);
      assert.equal(entry.labels.l, row.label);
    });
  }
});

describe('a null key is refused as Kubernetes refuses it', () => {
  for (const row of ROWS.filter((r) => r.key === null)) {
    it(row.text, () => {
      const outcome = krm(HEADER + configMapItem(row.text, true));
      assert.equal(outcome.exitCode, 1);
      assert.match(outcome.text, /a null mapping key/);
    });
  }
});

describe('where the function reads a scalar', () => {
  const label = 'cloud.google.com/machine-family';
  for (const values of ['["e2"]', '[e2]', "['e2']"]) {
    it(`a node labelled ${label}: e2, as kubectl prints it, matches values: ${values}`, () => {
      const group = JSON.stringify(nodeGroup('workers', { [label]: ['PLACEHOLDER'] })).replace(
        '["PLACEHOLDER"]',
        values,
      );
      const out = run(
        `${HEADER}- ${group}\n- ${JSON.stringify(cache('m', 'gs://bucket/model'))}\n` +
          `- {apiVersion: v1, kind: Node, metadata: {name: gpu-1, labels: {${label}: e2}, annotations: {config.kubernetes.io/local-config: "true"}}}\n`,
      );
      assert.deepEqual(errors(out), []);
      assert.equal(ofKind(generated(out.items), 'Job').length, 1);
    });
  }

  const quantities: [string, bigint | undefined][] = [
    ['1e3', 1000n],
    ['.5', 1n],
    ['0644', 420n],
    ['1_000', 1000n],
    ['e3', undefined],
    ['.', undefined],
    ['1:20', undefined],
    ['~', undefined],
    ['.inf', undefined],
    ['.nan', undefined],
    ['10Gi', 10n * 2n ** 30n],
  ];
  for (const [text, bytes] of quantities) {
    it(`modelSize: ${text} reads as ${bytes ?? 'not a quantity'}`, () => {
      const { items } = parseResourceList(
        `${HEADER}- apiVersion: serving.kserve.io/v1alpha1\n  kind: LocalModelCache\n  metadata: {name: m}\n  spec:\n    modelSize: ${text}\n`,
      );
      const size = (items[0].spec as { modelSize: unknown }).modelSize;
      assert.equal(typeof size === 'string' || typeof size === 'number' ? parseQuantity(size) : undefined, bytes);
    });
  }

  const configValues: [string, string, unknown][] = [
    ['runAsServiceAccount', 'no', false],
    ['runAsServiceAccount', 'off', false],
    ['runAsServiceAccount', 'e3', true], // a string, not a boolean: the default holds (and validation says so)
    ['jobTTLSecondsAfterFinished', '0x10', 16],
    ['jobTTLSecondsAfterFinished', '1_000', 1000],
    ['jobTTLSecondsAfterFinished', '1:20', undefined],
    ['outputDir', 'e3', 'e3'],
    ['outputDir', '1:20', '1:20'],
  ];
  for (const [field, text, expected] of configValues) {
    it(`function config ${field}: ${text}, typed and in the ConfigMap form`, () => {
      const typed = parseResourceList(
        `${HEADER}functionConfig:\n  apiVersion: fn.kserve-localmodel.dev/v1alpha1\n  kind: LocalModelFnConfig\n  metadata: {name: fn}\n  spec:\n    ${field}: ${text}\n`,
      );
      assert.equal(parseFnConfig(typed.functionConfig).config[field as 'outputDir'], expected);
      const configMap = parseFnConfig({ apiVersion: 'v1', kind: 'ConfigMap', data: { [field]: text } });
      assert.equal(configMap.config[field as 'outputDir'], expected);
    });
  }
});

describe('keys Kubernetes sees as one are one key', () => {
  for (const [a, b] of [
    ['1', '"1"'],
    ['yes', 'true'],
    ['0x10', '16'],
    ['1e3', '"1000"'],
    ['.inf', "'.inf'"],
  ]) {
    it(`${a} and ${b}`, () => {
      const outcome = krm(
        `${HEADER}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n    ${a}: x\n    ${b}: y\n`,
      );
      assert.equal(outcome.exitCode, 1);
      assert.match(
        outcome.text,
        new RegExp(`the key ${b.replace(/^\w.*$/, '"$&"').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} appears twice`),
      );
    });
  }
});
