import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { readdirSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { App } from './app-instance.js';
import { answerFor, createStaticAsset, type StaticAsset } from './static-asset.js';

// The page runs only its own files (swagger-ui keeps its start-up script in one) and talks only to this server;
// no other site may frame it. Styles stay inline-capable: swagger-ui sets them from script.
const DOCS_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
};

/**
 * The docs UI at /docs: @fastify/swagger-ui, loaded on the first request for it.
 *
 * Loading swagger-ui and @fastify/static took a tenth of the server's
 * start-up and memory most processes never use, and Fastify cannot add routes
 * once it listens. So /docs and /docs/* are plain routes here, and the first
 * of them builds a small Fastify app holding swagger-ui over this app's own
 * OpenAPI document (the same one GET /v1 returns).
 *
 * Every answer of that app is fixed once it is built, so each path it serves
 * is asked of it once, on its first request, and kept with its compressed
 * forms and ETag (static-asset.ts); every later request is sent those same
 * Buffers. Rebuilding the bundle per request let clients that never read
 * their answers hold a copy each. Only the paths the app serves are kept
 * (its routes and the files of its static directory), so the cache cannot
 * grow with the paths clients make up; any other /docs path is the 404.
 */
export function registerDocsUi(app: App): void {
  let loaded: Promise<DocsAssets> | undefined;
  const load = async (): Promise<DocsAssets> => {
    // Loaded on the first /docs request, and with require(), not import(): a bundle holding an import() is
    // transformed as a whole by tsx, which users' TypeScript test files load orgplane/testing through.
    const swaggerUi = createRequire(import.meta.url)('@fastify/swagger-ui') as typeof import('@fastify/swagger-ui').default;
    const docs = Fastify();
    // The document is OpenAPI 3.1; @fastify/swagger's types only name 2.0 and 3.0.
    const document = app.swagger() as StaticDocumentSpec['document'];
    await docs.register(swagger, { mode: 'static', specification: { document } });
    const uiConfig = {
      persistAuthorization: false,
      tryItOutEnabled: true,
      // Sent to the page as source (@fastify/swagger-ui serialises functions), so it must stand alone. The
      // marker keeps the 401's Basic challenge, and with it the browser's own sign-in box, away from "try it"
      // where the browser sends no Sec-Fetch-* headers (plain HTTP on a host other than localhost); see auth-challenge.ts.
      requestInterceptor: (req: Record<string, any>) => {
        req.headers['X-Requested-With'] = 'XMLHttpRequest';
        return req;
      },
    };
    await docs.register(swaggerUi, { routePrefix: '/docs', uiConfig });
    await docs.ready();
    const staticDir = join(dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json')), 'static');
    const paths = [...DOCS_ROUTES, ...readdirSync(staticDir).map((file) => `/docs/static/${file}`)];
    return { docs, known: new Set(paths), assets: new Map() };
  };
  const assetFor = (loadedDocs: DocsAssets, path: string): Promise<StaticAsset | undefined> => {
    let asset = loadedDocs.assets.get(path);
    if (!asset) {
      asset = buildAsset(loadedDocs.docs, path);
      // A failed build is not kept: the next request tries again.
      asset.catch(() => loadedDocs.assets.delete(path));
      loadedDocs.assets.set(path, asset);
    }
    return asset;
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    loaded ??= load().catch((err: unknown) => {
      loaded = undefined; // let the next request try again
      throw err;
    });
    const docsAssets = await loaded;
    const path = request.url.split('?', 1)[0]!;
    const asset = docsAssets.known.has(path) ? await assetFor(docsAssets, path) : undefined;
    if (!asset) return reply.callNotFound();
    const { status, headers, body } = answerFor(asset, request.headers);
    await reply.code(status).headers(headers).headers(DOCS_SECURITY_HEADERS).send(body);
  };
  for (const url of ['/docs', '/docs/*']) app.get(url, { schema: { hide: true } }, handler);
}

/** The routes of @fastify/swagger-ui under /docs besides its static files (the index differs with the trailing slash). */
const DOCS_ROUTES = ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/static/swagger-initializer.js'];

interface DocsAssets {
  docs: FastifyInstance;
  /** The paths the docs app serves. */
  known: Set<string>;
  assets: Map<string, Promise<StaticAsset | undefined>>;
}

/** Asks the docs app for a path once; undefined when it refuses it (the caller's 404). */
async function buildAsset(docs: FastifyInstance, path: string): Promise<StaticAsset | undefined> {
  const answer = await docs.inject({ method: 'GET', url: path });
  // The docs app's own refusals (404, and @fastify/static's 403) are, to the caller, a docs path that does not exist.
  if (answer.statusCode >= 400 && answer.statusCode < 500) return undefined;
  if (answer.statusCode >= 300 && answer.statusCode < 400 && answer.statusCode !== 304) {
    return createStaticAsset(answer.statusCode, pick(answer.headers, ['location']), answer.rawPayload);
  }
  if (answer.statusCode !== 200) throw new Error(`docs UI answered ${answer.statusCode}`);
  return createStaticAsset(200, pick(answer.headers, ['content-type']), answer.rawPayload);
}

function pick(headers: OutgoingHttpHeaders, names: string[]): OutgoingHttpHeaders {
  const picked: OutgoingHttpHeaders = {};
  for (const name of names) if (headers[name] !== undefined) picked[name] = headers[name];
  return picked;
}
