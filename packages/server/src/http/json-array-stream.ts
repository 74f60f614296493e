import { Readable } from 'node:stream';
import fastJson from 'fast-json-stringify';
import type { TSchema } from '@sinclair/typebox';
import { jsonChunks } from '../json-chunks.js';

/**
 * Streams a success envelope whose result is a long array given as JSON text:
 * the envelope head, then each chunk (one or more whole items joined by
 * commas), then the closing brackets. Readable.from pulls the next chunk only
 * when the client has drained the previous one, so a slow reader holds back
 * the database reads instead of filling memory.
 */
export function streamArrayEnvelope(requestId: string, chunks: AsyncIterable<string | Buffer>): Readable {
  return Readable.from(
    (async function* envelope() {
      yield `{"status":200,"requestId":${JSON.stringify(requestId)},"result":[`;
      let separator = '';
      for await (const chunk of chunks) {
        // A string takes its comma along (one write); a buffer is not copied to do so.
        if (typeof chunk === 'string') yield separator + chunk;
        else {
          if (separator) yield separator;
          yield chunk;
        }
        separator = ',';
      }
      yield ']}';
    })(),
    { objectMode: false },
  );
}

/** The same for pages of API objects, each serialised with the route's own item schema (the same allow-list as a buffered response). */
export function createArrayEnvelopeStreamer<T>(itemSchema: TSchema): (requestId: string, pages: AsyncIterable<T[]>) => Readable {
  const serialize = fastJson(itemSchema);
  return (requestId, pages) =>
    streamArrayEnvelope(
      requestId,
      (async function* chunks() {
        for await (const page of pages) yield* jsonChunks(page, serialize);
      })(),
    );
}
