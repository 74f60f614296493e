// Bundles the compiled CLI (dist/cli/main.js) into one file, dist/orgplane.mjs, and
// orgplane/testing (dist/testing/index.js) into dist/testing.mjs, which every test file imports.
// Loading hundreds of small ES modules (Kysely and Fastify are hundreds of files)
// took most of the server's start-up; one file loads much faster and uses less
// memory (figures in docs/PERFORMANCE.md, "Start-up and idle memory"). Native,
// lazily loaded and asset-reading packages stay external.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // better-sqlite3 is native; pg and ioredis load only when configured;
  // @fastify/swagger-ui serves files from its own package directory.
  external: ['better-sqlite3', 'pg', 'ioredis', '@fastify/swagger-ui', '@orgplane/client'],
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  // Whitespace and syntax minification, not renaming: V8 has less source to parse at
  // start-up, so the first response comes sooner and the idle process is smaller
  // (docs/PERFORMANCE.md), while function names in stack traces stay readable. `node --enable-source-maps` maps
  // positions back to the sources through the linked map.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [
    {
      // rate-limiter-flexible's index loads its Drizzle limiters, which orgplane never uses and which hold the
      // bundle's only import() calls; a file with one is transformed whole by tsx, the loader users' TypeScript
      // test files import orgplane/testing through (docs/PERFORMANCE.md).
      name: 'without-drizzle-limiters',
      setup(build) {
        build.onLoad({ filter: /rate-limiter-flexible[\\/]lib[\\/]RateLimiterDrizzle(NonAtomic)?\.js$/ }, () => ({
          contents: "module.exports = class { constructor() { throw new Error('not bundled with orgplane'); } };",
          loader: 'js',
        }));
      },
    },
  ],
};

await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: 'dist/orgplane.mjs' });
// The client stays external (above) in both: a test's `instanceof OrgplaneApiError` must see the class it imports itself.
await build({ ...common, entryPoints: ['dist/testing/index.js'], outfile: 'dist/testing.mjs' });
