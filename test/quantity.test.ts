// Bounds of fn/k8s/quantity.ts against hostile input (its ordinary cases are in render-summary.test.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuantity } from '../fn/k8s/quantity';

describe('parseQuantity: bounded work whatever the input', () => {
  it('a fractional exponent is not a quantity (the CRD pattern admits it, Kubernetes does not)', () =>
    assert.equal(parseQuantity('1e2.5'), undefined));
  it('100 significant digits are still a quantity', () =>
    assert.equal(parseQuantity(`${'1'.repeat(100)}`), BigInt('1'.repeat(100))));
  it('leading and trailing zeros are not significant', () =>
    assert.equal(parseQuantity(`${'0'.repeat(500)}5.${'0'.repeat(500)}`), 5n));
  it('more than 100 significant digits are refused, at once', () => {
    const started = Date.now();
    assert.equal(parseQuantity('7'.repeat(5_000_000)), undefined);
    assert.equal(parseQuantity(`0.${'0'.repeat(5_000_000)}1`), undefined);
    assert.ok(Date.now() - started < 1000);
  });
});
