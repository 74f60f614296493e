import { Readable } from 'node:stream';
import fastJson from 'fast-json-stringify';
import type { TSchema } from '@sinclair/typebox';

/**
 * Chunks stay below V8's large-object size: writing a chunk flattens it into one
 * string, and a whole page flattened at once was a fresh large-object allocation
 * (new memory pages, then a full GC to free them), a large share of the server's
 * time in a profile of one-day windows (figures in docs/PERFORMANCE.md,
 * "Activities"). Small chunks are allocated and freed in the young generation.
 */
const CHUNK_CHARS = 32 * 1024;

/**
 * Streams a success envelope whose result is a long array: the envelope head,
 * then each page's items serialised with the route's own item schema (the same
 * allow-list as a buffered response), then the closing brackets. Readable.from
 * pulls the next page only when the client has drained the previous one, so a
 * slow reader holds back the database reads instead of filling memory.
 */
export function createArrayEnvelopeStreamer<T>(itemSchema: TSchema): (requestId: string, pages: AsyncIterable<T[]>) => Readable {
  const serialize = fastJson(itemSchema);
  return (requestId, pages) =>
    Readable.from(
      (async function* envelope() {
        yield `{"status":200,"requestId":${JSON.stringify(requestId)},"result":[`;
        let separator = '';
        for await (const page of pages) {
          let chunk = '';
          for (const item of page) {
            chunk += separator + serialize(item);
            separator = ',';
            if (chunk.length >= CHUNK_CHARS) {
              yield chunk;
              chunk = '';
            }
          }
          if (chunk) yield chunk;
        }
        yield ']}';
      })(),
      { objectMode: false },
    );
}
