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
 * Streams a success envelope whose result is a long array of items already
 * serialised as JSON texts: the envelope head, then the items, then the
 * closing brackets. Readable.from pulls the next page only when the client has
 * drained the previous one, so a slow reader holds back the database reads
 * instead of filling memory.
 */
export function streamJsonArrayEnvelope(requestId: string, pages: AsyncIterable<readonly string[]>): Readable {
  return Readable.from(
    (async function* envelope() {
      yield `{"status":200,"requestId":${JSON.stringify(requestId)},"result":[`;
      // A chunk's items are joined at once into one flat string (appending them one by one built a tree the write
      // then flattened); after the first chunk each starts with an empty item, so the join opens with the separator.
      let items: string[] = [];
      let chars = 0;
      for await (const page of pages) {
        for (const item of page) {
          items.push(item);
          chars += item.length;
          if (chars >= CHUNK_CHARS) {
            yield items.join(',');
            items = [''];
            chars = 0;
          }
        }
        if (chars > 0) {
          yield items.join(',');
          items = [''];
          chars = 0;
        }
      }
      yield ']}';
    })(),
    { objectMode: false },
  );
}

/**
 * The same for items the route's own item schema serialises (the same
 * allow-list as a buffered response), page by page.
 */
export function createArrayEnvelopeStreamer<T>(itemSchema: TSchema): (requestId: string, pages: AsyncIterable<T[]>) => Readable {
  const serialize = fastJson(itemSchema);
  return (requestId, pages) =>
    streamJsonArrayEnvelope(
      requestId,
      (async function* serialized() {
        for await (const page of pages) yield page.map(serialize);
      })(),
    );
}
