import type { FastifyReply, FastifyRequest } from 'fastify';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import type { App } from './app-instance.js';
import { errorBody } from './envelope.js';
import { answerFor, createStaticAsset, type StaticAsset } from './static-asset.js';

// The console runs only its own files and talks only to this server: no inline script or style, no other
// origin, no plugin, no <base>; no other site may frame it or keep a handle on its window, and the URLs it
// leaves for (a link to the docs) learn nothing of where the user was. Set as the docs' are (docs-ui.ts).
const CONSOLE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** The build puts a hash of each file's content in its name under assets/, so a name never names two contents. */
const HASHED_DIR = 'assets';
const HASHED_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** index.html keeps its name across builds: browsers revalidate it (a 304 while its ETag matches). */
const NAMED_CACHE_CONTROL = 'no-cache';

/** What a Vite build writes; nosniff makes the browser trust these, so anything else is plain bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

const NOT_INSTALLED = 'The console is not installed: run `npm install` in the orgplane repository (it builds the console), then reload';
const NOT_BUILT = 'The console is not built: run `npm run build` in the orgplane repository, then reload';

/**
 * Where the built console is: the dist/ directory of the @orgplane/console
 * package, found as Node finds the package from this module (the sources, the
 * bundle or an installed copy alike); undefined when it is not installed.
 */
export function consoleDistDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@orgplane/console/package.json')), 'dist');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * The admin console at /console: the static files of its build, read from
 * disk on the first /console request (start-up and processes that never serve
 * it pay nothing), compressed and tagged once (static-asset.ts), then sent as
 * the same Buffers to every client. A rebuild is seen after a restart.
 *
 * Only the files read then are served, looked up by name, so no path reaches
 * anything outside the build. Any other extension-less path is one of the
 * console's own routes (/console/keys) and gets index.html, so a reload or a
 * shared link opens that view; a missing file (/console/assets/…, or any
 * name with an extension) is the 404 envelope, not a page a script tag would
 * take for code. Until the console is built, /console answers 503 saying how
 * to build it, and looks again on the next request.
 */
export function registerConsoleUi(app: App): void {
  let loaded: Promise<ConsoleFiles> | undefined;
  let toldNotBuilt = false;
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.headers(CONSOLE_SECURITY_HEADERS);
    loaded ??= loadConsole().then(
      (files) => {
        if (files.missing !== null) loaded = undefined; // not there yet: look again next time
        return files;
      },
      (err: unknown) => {
        loaded = undefined; // let the next request try again
        throw err;
      },
    );
    const files = await loaded;
    if (files.missing !== null) {
      if (!toldNotBuilt) request.log.warn({ missing: files.missing, dir: files.dir ?? null }, 'the console is not built (or not installed): /console answers 503 until it is');
      toldNotBuilt = true;
      await reply.code(503).send(errorBody(503, files.missing === 'package' ? NOT_INSTALLED : NOT_BUILT, request.id));
      return;
    }
    const name = (request.params as { '*'?: string })['*'] ?? '';
    const asset = files.assets.get(name) ?? (isConsoleRoute(name) ? files.assets.get('index.html') : undefined);
    if (!asset) return reply.callNotFound();
    const { status, headers, body } = answerFor(asset, request.headers);
    await reply.code(status).headers(headers).send(body);
  };
  for (const url of ['/console', '/console/*']) app.get(url, { schema: { hide: true } }, handler);
}

type ConsoleFiles =
  | { missing: null; assets: Map<string, StaticAsset> }
  | { missing: 'package' | 'build'; dir?: string };

/** Every regular file of the build, by its path below dist/ ('index.html', 'assets/index-3f2a9c.js'). */
async function loadConsole(): Promise<ConsoleFiles> {
  const dir = consoleDistDir();
  if (!dir) return { missing: 'package' };
  let names: string[];
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    // Regular files only: a link in dist/ could point anywhere.
    names = entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return { missing: 'build', dir };
    throw err;
  }
  if (!names.includes('index.html')) return { missing: 'build', dir };
  const assets = await Promise.all(
    names.map(async (name) => {
      const headers = {
        'content-type': CONTENT_TYPES[posix.extname(name).toLowerCase()] ?? UNKNOWN_CONTENT_TYPE,
        'cache-control': name.startsWith(`${HASHED_DIR}/`) ? HASHED_CACHE_CONTROL : NAMED_CACHE_CONTROL,
      };
      return [name, await createStaticAsset(200, headers, await readFile(join(dir, name)))] as const;
    }),
  );
  return { missing: null, assets: new Map(assets) };
}

/** A path the console's router handles (a view, not a file): outside assets/, and its last segment has no extension. */
function isConsoleRoute(name: string): boolean {
  if (name === HASHED_DIR || name.startsWith(`${HASHED_DIR}/`)) return false;
  return posix.extname(name) === '';
}
