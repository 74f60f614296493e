import type { Command } from 'commander';
import { loadServerConfig, type ServeFlags } from '../config.js';
import { redactUrl } from '../db/database.js';
import { createLogger } from '../logger.js';
import { closeOnSignals, startServer } from '../server.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the API server (creates, migrates and on first start seeds the database)')
    .option('--host <host>', 'address to listen on [env ORGPLANE_HOST] (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free port [env ORGPLANE_PORT] (default 8080)')
    .option('--database <url>', 'sqlite:PATH, sqlite::memory: or postgres://… [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--rate-limit <limit>', 'per-key limit N/Ws, or off [env ORGPLANE_RATE_LIMIT] (default 10/10s)')
    .option('--failed-auth-limit <limit>', 'failed authentications per client address N/Ws, or off [env ORGPLANE_FAILED_AUTH_LIMIT] (default 20/60s)')
    .option('--trust-proxy <addresses>', 'comma-separated proxy addresses/CIDRs whose X-Forwarded-For is trusted [env ORGPLANE_TRUST_PROXY] (default: none)')
    .option('--headers-timeout <ms>', 'cut off clients whose request headers take longer [env ORGPLANE_HEADERS_TIMEOUT_MS] (default 10000)')
    .option('--request-timeout <ms>', 'cut off clients whose whole request takes longer [env ORGPLANE_REQUEST_TIMEOUT_MS] (default 30000)')
    .option('--max-connections <n>', 'refuse connections beyond this many open ones; near it the longest-idle are closed [env ORGPLANE_MAX_CONNECTIONS] (default 1024)')
    .option(
      '--max-connections-per-address <n>',
      'open connections one client address may hold; not applied to --trust-proxy addresses [env ORGPLANE_MAX_CONNECTIONS_PER_ADDRESS] (default 128)',
    )
    .option('--keep-alive-timeout <ms>', 'close a keep-alive connection this long after its last answer [env ORGPLANE_KEEP_ALIVE_TIMEOUT_MS] (default 5000)')
    .option(
      '--max-unsent-per-address <bytes>',
      'bytes of answers one client address may leave unread; over it its requests wait and its longest-held connections are closed [env ORGPLANE_MAX_UNSENT_PER_ADDRESS] (default 16777216)',
    )
    .option('--max-unsent <bytes>', 'bytes of answers all clients together may leave unread; over it the longest-held connections are closed [env ORGPLANE_MAX_UNSENT] (default 134217728)')
    .option('--min-read-rate <bytes/s>', 'close a connection whose client reads its answer slower than this over 10 s [env ORGPLANE_MIN_READ_RATE] (default 4096)')
    .option(
      '--send-buffer <bytes>',
      "the kernel's send buffer of each connection (SO_SNDBUF, which Linux doubles); larger serves distant clients faster [env ORGPLANE_SEND_BUFFER] (default 131072)",
    )
    .option('--pg-pool-size <n>', 'PostgreSQL connections per instance [env ORGPLANE_PG_POOL_SIZE] (default 10)')
    .option('--pg-statement-timeout <ms>', 'PostgreSQL statement timeout [env ORGPLANE_PG_STATEMENT_TIMEOUT_MS] (default 5000)')
    .option('--redis <url>', 'keep the shared rate-limit counters in Redis, e.g. redis://127.0.0.1:6379 [env ORGPLANE_REDIS_URL]')
    .option('--db-connect-attempts <n>', 'tries to reach the database at start-up before exiting [env ORGPLANE_DB_CONNECT_ATTEMPTS] (default 5)')
    .option('--db-connect-interval <ms>', 'wait between those tries [env ORGPLANE_DB_CONNECT_INTERVAL_MS] (default 2000)')
    .option('--invitation-ttl <duration>', 'how long a new invitation stays open: 7d, 12h, 30m, 3600s [env ORGPLANE_INVITATION_TTL] (default 7d)')
    .option(
      '--byoc-provisioning-seconds <n>',
      'how long a new BYOC infrastructure stays infra-provisioning before infra-ready, on the server clock; 0 for at once [env ORGPLANE_BYOC_PROVISIONING_SECONDS] (default 30)',
    )
    .option('--controls', 'serve the emulator controls under /_orgplane/ (seed, reset, snapshot, clock, faults, request journal) [env ORGPLANE_CONTROLS=1] (default off)')
    .option('--controls-token <token>', 'require Authorization: Bearer <token> on every control request; needed off loopback [env ORGPLANE_CONTROLS_TOKEN]')
    .option('--clock <instant>', 'start the clock at an RFC 3339 instant, running on, or frozen with ",frozen" [env ORGPLANE_CLOCK] (default real time)')
    .option('--access-log', 'log a line for every request; without it only errors (4xx, 5xx) and requests taking 1 s or more are logged [env ORGPLANE_ACCESS_LOG=1] (default off)')
    .option('--seed <file>', 'on an empty database, apply this fixture (JSON or YAML) instead of creating the first organization; every reset applies it again [env ORGPLANE_SEED]')
    .action(async (flags: ServeFlags) => {
      const config = loadServerConfig(flags, process.env);
      const logger = createLogger();
      const server = await startServer(config, logger, {
        // Printed once, to the terminal (stderr), never to the JSON log on stdout; and before
        // listening, so a start that then fails (port taken) has still shown the only admin secret.
        onFirstStart: ({ organizationId, keyId, keySecret }) => {
          process.stderr.write(
            [
              '',
              'First start: created an organization and an admin API key. The secret is shown only now.',
              `  organization ID: ${organizationId}`,
              `  key ID:          ${keyId}`,
              `  key secret:      ${keySecret}`,
              '',
              'Lost it? An operator makes a new admin key on the database:',
              `  orgplane keys create --org ${organizationId} --name admin --role admin --database ${redactUrl(config.databaseUrl)}`,
              '(`orgplane org list --database URL` shows the organization IDs.)',
              '',
            ].join('\n') + '\n',
          );
        },
      });
      closeOnSignals(server, logger);
      const consoleUrl = `${server.url}/console/`;
      if (server.firstStart) {
        const { keyId, keySecret } = server.firstStart;
        process.stderr.write(
          ['Try it:', `  curl -u '${keyId}:${keySecret}' ${server.url}/v1/organizations`, `  console: ${consoleUrl}  (sign in with the key ID and secret above)`, ''].join('\n') + '\n',
        );
      }
      if (server.seeded) logger.info({ organizations: server.seeded.organizations, keys: server.seeded.keys }, 'applied the --seed fixture to the empty database');
      // Logged last: scripts and tests wait for this line, and the banner above is complete by then.
      logger.info({ url: server.url, console: consoleUrl, database: server.database.displayUrl }, 'orgplane listening');
      logger.flush();
    });
}
