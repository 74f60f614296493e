import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalDecimal, decimalProblem, formatMicroNumber, formatMicros, MicroSum, toMicroNumber, toMicros } from '../../src/domain/usage/decimal.js';

describe('usage decimals', () => {
  it('accepts numbers and decimal text, not negative, at most 6 decimal places, below 10^9', () => {
    for (const ok of [0, 0.1, '0.1', 12.5, '12.500000', '000.000001', 999_999_999.999999, '999999999.999999', 1e20 / 1e12]) assert.equal(decimalProblem(ok), undefined, String(ok));
    assert.match(decimalProblem(-0.5)!, /negative/);
    assert.match(decimalProblem('-1')!, /negative/);
    assert.match(decimalProblem('0.0000001')!, /6 decimal places/);
    assert.match(decimalProblem(1e-7)!, /6 decimal places/);
    assert.match(decimalProblem('1000000000')!, /below/);
    assert.match(decimalProblem(1e21)!, /below/);
    for (const bad of ['', '1.', '.5', '1e3', ' 1', '0x10', NaN, Infinity, true, null, {}]) assert.ok(decimalProblem(bad), String(bad));
    assert.equal(canonicalDecimal('007.250000'), '7.25');
    assert.equal(canonicalDecimal(-0), '0');
  });

  it('converts between text and millionths exactly, both ways', () => {
    for (const text of ['0', '0.1', '0.000001', '86.4125', '999999999.999999', '123456789.123456']) {
      assert.equal(formatMicroNumber(toMicroNumber(text)), text);
      assert.equal(formatMicros(toMicros(text)), text);
      assert.equal(BigInt(toMicroNumber(text)), toMicros(text));
    }
    assert.equal(toMicroNumber('1.5'), 1_500_000);
  });

  it('sums exactly, past 2^53 millionths too', () => {
    const sum = new MicroSum();
    for (let i = 0; i < 100_000; i++) sum.add(toMicroNumber('0.1'));
    assert.equal(sum.toString(), '10000');
    const big = new MicroSum();
    for (let i = 0; i < 20; i++) big.add(toMicroNumber('999999999.999999'));
    assert.equal(big.toString(), '19999999999.99998');
    const grand = new MicroSum();
    grand.addSum(big);
    grand.addSum(big);
    grand.add(1);
    assert.equal(grand.toString(), '39999999999.999961');
  });
});
