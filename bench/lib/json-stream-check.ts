/**
 * A streaming JSON validator for bodies too big to hold or JSON.parse (the
 * full activity list is hundreds of megabytes). It checks the whole grammar
 * (RFC 8259; UTF-8 byte sequences inside strings are not validated) and counts
 * the elements of the array under the top-level "result" key.
 */

const enum S {
  Value, // expecting a value
  ValueOrClose, // after '[': a value or ']'
  KeyOrClose, // after '{': a key or '}'
  Key, // after ',' in an object: a key
  Colon, // after a key
  After, // after a value: ',' or a closing bracket
  Str,
  Esc,
  Hex,
  Num,
  Lit,
  Done,
}

const enum N {
  Minus,
  Zero,
  Int,
  Dot,
  Frac,
  E,
  ESign,
  Exp,
}

const OBJ = 0;
const ARR = 1;
const RESULT = Buffer.from('result');

export interface JsonCheckResult {
  valid: boolean;
  error?: string;
  /** Elements of the top-level object's "result" array (0 when there is none). */
  resultItems: number;
  bytes: number;
}

export class JsonStreamCheck {
  private state: S = S.Value;
  private stack = new Uint8Array(1024);
  private depth = 0;
  private stringIsKey = false;
  private hexLeft = 0;
  private num: N = N.Zero;
  private lit = '';
  private litPos = 0;
  private keyBuf: number[] = [];
  private lastKeyIsResult = false;
  private resultDepth = -1;
  private items = 0;
  private bytes = 0;
  private error: string | undefined;

  feed(chunk: Uint8Array): void {
    if (this.error) return;
    let state = this.state;
    let depth = this.depth;
    const stack = this.stack;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      switch (state) {
        case S.Str: {
          // The hot loop: most bytes of the body are inside strings; skip plain bytes without the state switch.
          if (!this.stringIsKey && c !== 0x22 && c !== 0x5c && c >= 0x20) {
            let j = i + 1;
            while (j < n) {
              const d = chunk[j]!;
              if (d === 0x22 || d === 0x5c || d < 0x20) break;
              j++;
            }
            i = j - 1;
            continue;
          }
          if (c === 0x22) {
            state = this.endString(depth);
          } else if (c === 0x5c) {
            state = S.Esc;
          } else if (c < 0x20) {
            return this.fail(i, 'control character in string');
          } else if (this.stringIsKey && depth === 1 && this.keyBuf.length < 16) {
            this.keyBuf.push(c);
          }
          continue;
        }
        case S.Esc:
          if (c === 0x75) {
            state = S.Hex;
            this.hexLeft = 4;
          } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) {
            state = S.Str;
          } else {
            return this.fail(i, 'bad escape');
          }
          continue;
        case S.Hex:
          if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return this.fail(i, 'bad \\u escape');
          if (--this.hexLeft === 0) state = S.Str;
          continue;
        case S.Num: {
          const next = numberStep(this.num, c);
          if (next !== -1) {
            this.num = next;
            continue;
          }
          if (this.num !== N.Zero && this.num !== N.Int && this.num !== N.Frac && this.num !== N.Exp) return this.fail(i, 'bad number');
          state = depth === 0 ? S.Done : S.After;
          i--; // re-read this byte after the number
          continue;
        }
        case S.Lit:
          if (c !== this.lit.charCodeAt(this.litPos)) return this.fail(i, `bad literal (expected ${this.lit})`);
          if (++this.litPos === this.lit.length) state = depth === 0 ? S.Done : S.After;
          continue;
        default:
          break;
      }
      // Structural states: whitespace is allowed everywhere here.
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      switch (state) {
        case S.Value:
        case S.ValueOrClose:
          if (state === S.ValueOrClose && c === 0x5d) {
            depth--;
            state = depth === 0 ? S.Done : S.After;
            if (this.resultDepth === depth + 1) this.resultDepth = -2;
            continue;
          }
          if (depth === this.resultDepth && stack[depth - 1] === ARR) this.items++;
          if (c === 0x7b || c === 0x5b) {
            if (depth === stack.length) return this.fail(i, 'nested too deeply');
            const opensResult = c === 0x5b && depth === 1 && this.lastKeyIsResult && this.resultDepth === -1;
            stack[depth++] = c === 0x7b ? OBJ : ARR;
            if (opensResult) this.resultDepth = depth;
            state = c === 0x7b ? S.KeyOrClose : S.ValueOrClose;
          } else if (c === 0x22) {
            this.stringIsKey = false;
            state = S.Str;
          } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
            this.num = c === 0x2d ? N.Minus : c === 0x30 ? N.Zero : N.Int;
            state = S.Num;
          } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
            this.lit = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
            this.litPos = 1;
            state = S.Lit;
          } else {
            return this.fail(i, 'expected a value');
          }
          continue;
        case S.KeyOrClose:
        case S.Key:
          if (state === S.KeyOrClose && c === 0x7d) {
            depth--;
            state = depth === 0 ? S.Done : S.After;
            continue;
          }
          if (c !== 0x22) return this.fail(i, 'expected a key');
          this.stringIsKey = true;
          this.keyBuf.length = 0;
          state = S.Str;
          continue;
        case S.Colon:
          if (c !== 0x3a) return this.fail(i, "expected ':'");
          state = S.Value;
          continue;
        case S.After: {
          const top = stack[depth - 1];
          if (c === 0x2c) {
            state = top === OBJ ? S.Key : S.Value;
          } else if ((c === 0x7d && top === OBJ) || (c === 0x5d && top === ARR)) {
            depth--;
            if (this.resultDepth === depth + 1) this.resultDepth = -2;
            state = depth === 0 ? S.Done : S.After;
          } else {
            return this.fail(i, "expected ',' or a closing bracket");
          }
          continue;
        }
        case S.Done:
          return this.fail(i, 'data after the end of the document');
        default:
          return this.fail(i, 'internal state error');
      }
    }
    this.state = state;
    this.depth = depth;
    this.bytes += n;
  }

  end(): JsonCheckResult {
    if (!this.error && this.state === S.Num) {
      if (this.num === N.Zero || this.num === N.Int || this.num === N.Frac || this.num === N.Exp) this.state = this.depth === 0 ? S.Done : S.After;
    }
    if (!this.error && this.state !== S.Done) this.error = this.bytes === 0 ? 'empty body' : `truncated document (${this.bytes} bytes, depth ${this.depth})`;
    return { valid: !this.error, ...(this.error ? { error: this.error } : {}), resultItems: this.items, bytes: this.bytes };
  }

  private endString(depth: number): S {
    if (!this.stringIsKey) return depth === 0 ? S.Done : S.After;
    if (depth === 1) {
      const k = this.keyBuf;
      this.lastKeyIsResult = k.length === RESULT.length && k.every((b, j) => b === RESULT[j]);
    }
    return S.Colon;
  }

  private fail(offset: number, message: string): void {
    this.error = `invalid JSON at byte ${this.bytes + offset}: ${message}`;
  }
}

function numberStep(state: N, c: number): N | -1 {
  const digit = c >= 0x30 && c <= 0x39;
  switch (state) {
    case N.Minus:
      return c === 0x30 ? N.Zero : digit ? N.Int : -1;
    case N.Zero:
      return c === 0x2e ? N.Dot : c === 0x65 || c === 0x45 ? N.E : -1;
    case N.Int:
      return digit ? N.Int : c === 0x2e ? N.Dot : c === 0x65 || c === 0x45 ? N.E : -1;
    case N.Dot:
      return digit ? N.Frac : -1;
    case N.Frac:
      return digit ? N.Frac : c === 0x65 || c === 0x45 ? N.E : -1;
    case N.E:
      return c === 0x2b || c === 0x2d ? N.ESign : digit ? N.Exp : -1;
    case N.ESign:
    case N.Exp:
      return digit ? N.Exp : -1;
  }
}
