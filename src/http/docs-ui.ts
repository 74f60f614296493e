import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { App } from './route-context.js';

// Headers that describe the in-process hop to the docs app, not the answer.
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

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
 * OpenAPI document (the same one GET /v1 returns), to which every /docs
 * request is then handed in process.
 */
export function registerDocsUi(app: App): void {
  let docsApp: Promise<FastifyInstance> | undefined;
  const load = async (): Promise<FastifyInstance> => {
    const { default: swaggerUi } = await import('@fastify/swagger-ui');
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
    return docs;
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    docsApp ??= load().catch((err: unknown) => {
      docsApp = undefined; // let the next request try again
      throw err;
    });
    const answer = await (await docsApp).inject({ method: 'GET', url: request.url, headers: request.headers });
    // The docs app's own refusals (404, and @fastify/static's 403 for paths such as /docs/static/%00)
    // carry Fastify's body: to the caller they are all a docs path that does not exist.
    if (answer.statusCode >= 400 && answer.statusCode < 500) return reply.callNotFound();
    if (answer.statusCode >= 500) throw new Error(`docs UI answered ${answer.statusCode}`);
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) reply.header(name, value);
    }
    await reply.code(answer.statusCode).headers(DOCS_SECURITY_HEADERS).send(answer.rawPayload);
  };
  for (const url of ['/docs', '/docs/*']) app.get(url, { schema: { hide: true } }, handler);
}
