import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import negotiate from '@fastify/accept-negotiator';
import { brotliCompress, constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Bodies smaller than this are sent as they are: compressing them saves less than the headers cost. */
const MIN_COMPRESSED_BYTES = 1024;
/**
 * Brotli's highest qualities take seconds on the docs bundle for a few percent
 * more; this one is close to them at a fraction of the time.
 */
const BROTLI_QUALITY = 9;
/**
 * For an asset that names none: its file keeps its name across versions, so a
 * browser asks again each time and gets a 304 while the ETag still matches.
 */
const DEFAULT_CACHE_CONTROL = 'no-cache';

type Encoding = 'br' | 'gzip' | 'identity';
const PREFERENCE: Encoding[] = ['br', 'gzip', 'identity'];

interface Representation {
  body: Buffer;
  etag: string;
}

/**
 * A response read, hashed and compressed once, then sent as the same Buffers
 * to every client: a request for it allocates nothing the size of its body.
 */
export interface StaticAsset {
  status: number;
  /**
   * Headers of every answer (content type, location of a redirect); a
   * `cache-control` here replaces the default no-cache (a file whose name
   * changes with its content can be kept for good).
   */
  headers: OutgoingHttpHeaders;
  representations: Map<Encoding, Representation>;
}

/** The answer to one request for an asset: its status, headers and body (a shared Buffer). */
export interface StaticAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Builds the asset, compressed with gzip and brotli off the event loop (zlib's thread pool). */
export async function createStaticAsset(status: number, headers: OutgoingHttpHeaders, body: Buffer): Promise<StaticAsset> {
  const tag = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const representations = new Map<Encoding, Representation>([['identity', { body, etag: `"${tag}"` }]]);
  if (body.length >= MIN_COMPRESSED_BYTES) {
    const [br, gz] = await Promise.all([
      brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gzipAsync(body, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    if (br.length < body.length) representations.set('br', { body: br, etag: `"${tag}-br"` });
    if (gz.length < body.length) representations.set('gzip', { body: gz, etag: `"${tag}-gzip"` });
  }
  return { status, headers, representations };
}

/** The representation the client accepts (brotli, then gzip, else identity), or a 304 when its ETag matches. */
export function answerFor(asset: StaticAsset, requestHeaders: IncomingHttpHeaders): StaticAnswer {
  const encoding = chooseEncoding(asset, requestHeaders['accept-encoding']);
  const { body, etag } = asset.representations.get(encoding)!;
  const headers: OutgoingHttpHeaders = { 'cache-control': DEFAULT_CACHE_CONTROL, ...asset.headers, etag };
  if (asset.representations.size > 1) headers.vary = 'Accept-Encoding';
  if (asset.status === 200 && matches(requestHeaders['if-none-match'], etag)) return { status: 304, headers, body: EMPTY };
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  return { status: asset.status, headers, body };
}

const EMPTY = Buffer.alloc(0);

/** The client's preferred coding of those the asset has (brotli first on a tie), or identity. */
function chooseEncoding(asset: StaticAsset, header: string | undefined): Encoding {
  if (!header || asset.representations.size === 1) return 'identity';
  return negotiate(header, PREFERENCE.filter((e) => asset.representations.has(e))) ?? 'identity';
}

/** RFC 9110 §13.1.2: weak comparison, any of a list, or `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}
