/**
 * Chunks stay below V8's large-object size: writing a chunk flattens it into one
 * string, and a whole page flattened at once was a fresh large-object allocation
 * (new memory pages, then a full GC to free them), a large share of the server's
 * time in a profile of one-day windows (figures in docs/PERFORMANCE.md,
 * "Activities"). Small chunks are allocated and freed in the young generation.
 */
const CHUNK_CHARS = 32 * 1024;

/** Serializes items as JSON text joined by commas, in chunks of whole items, each about CHUNK_CHARS long. */
export function* jsonChunks<T>(items: Iterable<T>, serialize: (item: T) => string): Generator<string> {
  let chunk = '';
  for (const item of items) {
    chunk += (chunk ? ',' : '') + serialize(item);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
