// Metric values are kept as decimal text and added as whole millionths,
// never as binary floating point, whose tenths drift: a bill's total must be
// the exact sum of its lines.

/** The finest unit stored: six decimal places. */
export const DECIMAL_PLACES = 6;
const SCALE = 10n ** BigInt(DECIMAL_PLACES);

/**
 * Below a thousand million with six decimal places a value has at most 15
 * significant digits, which a JSON reader's double always gives back as
 * written: no stored value changes on its way to a client.
 */
export const MAX_INTEGER_DIGITS = 9;

const DECIMAL_TEXT = /^(\d+)(?:\.(\d+))?$/;

/** Why a value is not a metric value, or undefined when it is one. */
export function decimalProblem(value: unknown): string | undefined {
  const text = decimalText(value);
  if (text === undefined) return 'must be a number or a decimal string (e.g. 12.5 or "12.5")';
  if (text.startsWith('-')) return 'must not be negative';
  // JavaScript writes numbers below a millionth, and from 1e21 up, with an exponent.
  if (typeof value === 'number' && text.includes('e')) return Math.abs(value) < 1 ? `must have at most ${DECIMAL_PLACES} decimal places` : `must be below ${10 ** MAX_INTEGER_DIGITS}`;
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return 'must be a number or a decimal string (e.g. 12.5 or "12.5")';
  if ((match[2] ?? '').length > DECIMAL_PLACES) return `must have at most ${DECIMAL_PLACES} decimal places`;
  if (match[1]!.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) return `must be below ${10 ** MAX_INTEGER_DIGITS}`;
  return undefined;
}

/** The value as decimal text: a string as it is, a finite number as JavaScript writes it (exponent forms are refused later). */
function decimalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return Object.is(value, -0) ? '0' : String(value);
  return undefined;
}

/** A valid metric value (see decimalProblem) in canonical form: no leading zeros, no trailing fractional zeros. */
export function canonicalDecimal(value: unknown): string {
  return formatMicros(toMicros(decimalText(value)!));
}

/** Decimal text (canonical or not) as whole millionths. */
export function toMicros(text: string): bigint {
  const [whole, fraction = ''] = text.split('.') as [string, string?];
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(DECIMAL_PLACES, '0') || '0');
}

/** Whole millionths as canonical decimal text. */
export function formatMicros(micros: bigint): string {
  const whole = micros / SCALE;
  const fraction = (micros % SCALE).toString().padStart(DECIMAL_PLACES, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/**
 * Stored decimal text as whole millionths in a plain number: exact, as a
 * stored value is below 10^MAX_INTEGER_DIGITS (so below 2^53 millionths),
 * and several times cheaper than BigInt when a period has thousands of records.
 */
export function toMicroNumber(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return Number(text) * 1e6;
  const fraction = text.slice(dot + 1);
  return Number(text.slice(0, dot)) * 1e6 + Number(fraction) * 10 ** (DECIMAL_PLACES - fraction.length);
}

/** Whole millionths (a safe integer) as canonical decimal text; % and the division of a multiple are exact on safe integers. */
export function formatMicroNumber(micros: number): string {
  const fraction = micros % 1e6;
  const whole = (micros - fraction) / 1e6;
  return fraction === 0 ? `${whole}` : `${whole}.${String(fraction).padStart(DECIMAL_PLACES, '0').replace(/0+$/, '')}`;
}

/**
 * An exact sum of whole millionths: plain numbers while the sum stays a safe
 * integer, BigInt beyond (a grand total may pass 2^53 millionths, about nine
 * thousand million CHC).
 */
export class MicroSum {
  private small = 0;
  private big = 0n;

  add(micros: number): void {
    if (this.small + micros > Number.MAX_SAFE_INTEGER) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
    this.small += micros;
  }

  addSum(other: MicroSum): void {
    this.big += other.big;
    this.add(other.small);
  }

  toString(): string {
    return this.big === 0n ? formatMicroNumber(this.small) : formatMicros(this.big + BigInt(this.small));
  }
}
