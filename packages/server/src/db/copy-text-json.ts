/** A field of the JSON objects copyTextAsJson writes, in the order of the copied columns (each a text column). */
export interface JsonField {
  name: string;
  /** Left out of the object when its column is null; a null in a field that is not optional is refused. */
  optional: boolean;
}

/** The objects of one copied text, joined by commas, in chunks of whole objects. */
export interface JsonObjects {
  chunks: Buffer[];
  count: number;
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const HEX = Buffer.from('0123456789abcdef');
/** The longest JSON a copied byte becomes: a control character as \u00XX. */
const MAX_GROWTH = 6;
/** Output buffers: a 1,000-row page of activities is a few writes, and each is cut after its last whole object. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Turns the text of a `COPY … TO STDOUT` (text format: rows end with a
 * newline, fields are separated by tabs, `\N` is null, and a backslash escapes
 * a backslash, a tab, a newline and the other control characters \b \f \r \v)
 * into JSON objects whose string values are byte for byte what
 * JSON.stringify writes: `"` and `\` escaped, \b \f \n \r \t as such, every
 * other control character as \u00XX in lower case, everything else (UTF-8 as
 * PostgreSQL sent it) unchanged. PostgreSQL's escapes for \b \f \n \r \t are
 * JSON's own, so one pass over the bytes does both.
 */
export function copyTextAsJson(text: Buffer, fields: readonly JsonField[]): JsonObjects {
  const prefixes = fields.map(({ name }, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:"`));
  const prefixBytes = prefixes.reduce((sum, prefix) => sum + prefix.length, 0);
  const chunks: Buffer[] = [];
  let out = Buffer.allocUnsafe(0);
  let o = 0;
  let count = 0;
  let i = 0;
  while (i < text.length) {
    const rowEnd = text.indexOf(NEWLINE, i);
    if (rowEnd < 0) throw new Error('COPY text ends inside a row');
    const need = (rowEnd - i) * MAX_GROWTH + prefixBytes + 3;
    if (o + need > out.length) {
      if (o > 0) chunks.push(out.subarray(0, o));
      out = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
      o = 0;
    } else if (o > 0) out[o++] = 0x2c; // ,
    for (let f = 0; f < fields.length; f++) {
      if (f > 0 && text[i - 1] === NEWLINE) throw new Error(`COPY row ${count + 1} has ${f} fields, not ${fields.length}`);
      if (text[i] === BACKSLASH && text[i + 1] === 0x4e && (text[i + 2] === TAB || text[i + 2] === NEWLINE)) {
        if (!fields[f]!.optional) throw new Error(`COPY row ${count + 1}: ${fields[f]!.name} is null`);
        i += 3;
        continue;
      }
      o += prefixes[f]!.copy(out, o);
      for (;;) {
        const b = text[i++]!;
        // Most bytes are copied as they are: one test for them first.
        if (b > QUOTE && b !== BACKSLASH) out[o++] = b;
        else if (b === TAB || b === NEWLINE) break;
        else if (b === BACKSLASH) {
          const escaped = text[i++]!;
          if (escaped === 0x76) o = writeControl(out, o, 0x0b); // \v has no short form in JSON
          else if (escaped === BACKSLASH || escaped === 0x62 || escaped === 0x66 || escaped === 0x6e || escaped === 0x72 || escaped === 0x74) {
            out[o++] = BACKSLASH;
            out[o++] = escaped;
          } else throw new Error(`COPY text holds an unknown escape \\${String.fromCharCode(escaped)}`);
        } else if (b === QUOTE) {
          out[o++] = BACKSLASH;
          out[o++] = QUOTE;
        } else if (b < 0x20) o = writeControl(out, o, b);
        else out[o++] = b; // the space and !
      }
      out[o++] = QUOTE;
    }
    if (text[i - 1] !== NEWLINE) throw new Error(`COPY row ${count + 1} has more than ${fields.length} fields`);
    out[o++] = 0x7d; // }
    count++;
  }
  if (o > 0) chunks.push(out.subarray(0, o));
  return { chunks, count };
}

function writeControl(out: Buffer, o: number, byte: number): number {
  out[o] = BACKSLASH;
  out[o + 1] = 0x75; // u
  out[o + 2] = 0x30;
  out[o + 3] = 0x30;
  out[o + 4] = HEX[byte >> 4]!;
  out[o + 5] = HEX[byte & 15]!;
  return o + 6;
}
