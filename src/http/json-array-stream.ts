import { Readable } from 'node:stream';
import fastJson from 'fast-json-stringify';
import type { TSchema } from '@sinclair/typebox';

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
          }
          yield chunk;
        }
        yield ']}';
      })(),
      { objectMode: false },
    );
}
