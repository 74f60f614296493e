import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, DateRangeError, daysBetween, parseDateBound, parseDateRange, parseDayRange } from '../../src/domain/date-range.js';

describe('parseDateBound', () => {
  it('expands a plain from date to the start of its UTC day', () => {
    assert.equal(parseDateBound('from_date', '2025-01-31', 'start'), '2025-01-31T00:00:00.000Z');
  });
  it('expands a plain to date to the last millisecond of its UTC day', () => {
    assert.equal(parseDateBound('to_date', '2025-01-31', 'end'), '2025-01-31T23:59:59.999Z');
  });
  it('normalises RFC 3339 date-times with offsets to UTC', () => {
    assert.equal(parseDateBound('from_date', '2025-01-31T12:00:00+02:00', 'start'), '2025-01-31T10:00:00.000Z');
    assert.equal(parseDateBound('from_date', '2025-01-31T12:00:00.5Z', 'start'), '2025-01-31T12:00:00.500Z');
    assert.equal(parseDateBound('from_date', '2025-01-31t12:00:00z', 'start'), '2025-01-31T12:00:00.000Z');
  });
  for (const bad of ['2025-02-30', '2025-13-01', '2025-1-1', '2025-01-31T25:00:00Z', '2025-01-31T12:00:00', 'yesterday', '', '2025-01-31T12:00:00+24:00', '1738324800']) {
    it(`rejects ${JSON.stringify(bad)} naming the field`, () => {
      assert.throws(() => parseDateBound('from_date', bad, 'start'), (err: unknown) => err instanceof DateRangeError && err.field === 'from_date');
    });
  }
});

describe('parseDateRange', () => {
  it('accepts a single day given as the same plain date for both bounds', () => {
    assert.deepEqual(parseDateRange('2025-01-31', '2025-01-31'), { from: '2025-01-31T00:00:00.000Z', to: '2025-01-31T23:59:59.999Z' });
  });
  it('leaves absent bounds open', () => {
    assert.deepEqual(parseDateRange(undefined, undefined), {});
    assert.deepEqual(parseDateRange('2025-01-01', undefined), { from: '2025-01-01T00:00:00.000Z' });
  });
  it('rejects from_date after to_date', () => {
    assert.throws(() => parseDateRange('2025-02-01', '2025-01-31'), /from_date must not be after to_date/);
  });
  it('accepts equal date-time bounds (inclusive)', () => {
    assert.deepEqual(parseDateRange('2025-01-31T12:00:00Z', '2025-01-31T12:00:00Z'), { from: '2025-01-31T12:00:00.000Z', to: '2025-01-31T12:00:00.000Z' });
  });
});

describe('usage periods (plain dates)', () => {
  it('adds days across month, year and leap-day ends', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2025-02-28', 1), '2025-03-01');
    assert.equal(addDays('2025-12-31', 1), '2026-01-01');
    assert.equal(addDays('2026-01-01', -3), '2025-12-29');
    assert.equal(daysBetween('2025-12-31', '2026-01-31'), 31);
  });

  it('takes from_date ≤ to_date ≤ from_date + 30, naming the parameter', () => {
    assert.deepEqual(parseDayRange('2026-01-01', '2026-01-31', 30), { from: '2026-01-01', to: '2026-01-31' });
    const refusal = (from: string, to: string) => {
      try {
        parseDayRange(from, to, 30);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    assert.match(refusal('2026-01-01', '2026-02-01'), /'to_date'.*at most 30 days/);
    assert.match(refusal('2026-01-02', '2026-01-01'), /'to_date'.*not be before/);
    assert.match(refusal('2026-02-29', '2026-03-01'), /'from_date'/);
    assert.match(refusal('2026-03-01', '2026-3-2'), /'to_date'/);
  });
});
