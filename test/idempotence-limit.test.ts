// f(f(x)) = f(x) for every x the function accepts, up to the size limits: the output may take at most
// half of what the function reads, so that the next render reads it back even with the annotations kpt
// adds to every item. Reached cheaply with the limits scaled down to one package's own output.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateResourceList } from '../bench/generate';
import { MAX_INPUT_BYTES, MAX_OUTPUT_BYTES, outputTooLargeMessage } from '../fn/krm/input-error';
import { krm } from '../fn/modes/krm';

/** What kpt adds to each generated item when it hands the files back to the function (as kpt fn source shows). */
const withKptAnnotations = (list: string): string =>
  list.replace(
    /^( +)internal\.config\.kubernetes\.io\/path: (generated\/.*)\n/gm,
    (line, indent, path) =>
      `${line}${indent}config.kubernetes.io/index: '0'\n${indent}config.kubernetes.io/path: ${path}\n` +
      `${indent}internal.config.kubernetes.io/seqindent: 'compact'\n`,
  );

describe('the size limits agree with each other', () => {
  const input = generateResourceList({ caches: 3, nodes: 40 });
  const unlimited = { input: MAX_INPUT_BYTES, output: MAX_INPUT_BYTES };
  const output = krm(input, unlimited).text;
  const size = Buffer.byteLength(output);
  // The package's own output is exactly at the limit: the largest output the function accepts.
  const limits = { input: 2 * size, output: size };

  it('the real output limit is half the input limit', () => assert.equal(MAX_OUTPUT_BYTES * 2, MAX_INPUT_BYTES));

  it('an output exactly at the limit is printed, and reading it back gives the same bytes', () => {
    const first = krm(input, limits);
    assert.equal(first.exitCode, 0);
    assert.equal(first.text, output);
    const second = krm(first.text, limits);
    assert.equal(second.exitCode, 0);
    assert.equal(second.text, first.text);
  });

  it('kpt adds less than the headroom: the output as kpt hands it back is still accepted', () => {
    const handedBack = withKptAnnotations(output);
    assert.ok(Buffer.byteLength(handedBack) > size, 'kpt added its annotations');
    assert.ok(Buffer.byteLength(handedBack) <= limits.input, `${Buffer.byteLength(handedBack)} > ${limits.input}`);
    const again = krm(handedBack, limits);
    assert.equal(again.exitCode, 0, JSON.stringify(again.results.slice(0, 2)));
    assert.equal(again.text, output, 'the generated objects are replaced by the same ones');
  });

  it('one byte over the output limit: one clear error, nothing else printed', () => {
    const over = { input: limits.input, output: size - 1 };
    const outcome = krm(input, over);
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(outcome.results, [{ severity: 'error', message: outputTooLargeMessage(over.input, over.output) }]);
    assert.match(outcome.text, /^items: \[\]$/m);
    assert.match(outcome.results[0].message, /Split the package into smaller ones/);
  });
});
