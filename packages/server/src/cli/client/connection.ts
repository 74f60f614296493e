import type { Command } from 'commander';
import { createClient, OrgplaneApiError, type OrgplaneClient } from '@orgplane/client';

export interface ConnectionFlags {
  url?: string;
  keyId?: string;
  keySecret?: string;
  org?: string;
  json?: boolean;
}

export class UsageError extends Error {}

/**
 * Where and as whom the client commands talk: flags, then ORGPLANE_URL /
 * ORGPLANE_KEY_ID / ORGPLANE_KEY_SECRET, then the vendor CLI's
 * CLICKHOUSE_CLOUD_API_KEY / CLICKHOUSE_CLOUD_API_SECRET, so existing scripts
 * move over unchanged.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv): { baseUrl: string; keyId: string; keySecret: string } {
  // An empty variable counts as unset.
  const baseUrl = flags.url ?? (env.ORGPLANE_URL || 'http://127.0.0.1:8080');
  const keyId = flags.keyId ?? (env.ORGPLANE_KEY_ID || env.CLICKHOUSE_CLOUD_API_KEY);
  const keySecret = flags.keySecret ?? (env.ORGPLANE_KEY_SECRET || env.CLICKHOUSE_CLOUD_API_SECRET);
  if (!keyId || !keySecret) {
    throw new UsageError(
      'no credentials: pass --key-id and --key-secret, or set ORGPLANE_KEY_ID/ORGPLANE_KEY_SECRET (or CLICKHOUSE_CLOUD_API_KEY/CLICKHOUSE_CLOUD_API_SECRET); ' +
        'lost every key? on the server\'s machine, `orgplane org list --database URL` and `orgplane keys create --org ID --name N --role admin` make a new one',
    );
  }
  return { baseUrl, keyId, keySecret };
}

export function withConnectionOptions(command: Command): Command {
  return command
    .option('--url <url>', 'server URL [env ORGPLANE_URL] (default http://127.0.0.1:8080)')
    .option('--key-id <id>', 'API key ID [env ORGPLANE_KEY_ID, CLICKHOUSE_CLOUD_API_KEY]')
    .option('--key-secret <secret>', 'API key secret [env ORGPLANE_KEY_SECRET, CLICKHOUSE_CLOUD_API_SECRET]')
    .option('--json', 'machine-readable JSON output');
}

export interface Session {
  client: OrgplaneClient;
  flags: ConnectionFlags;
  /** The --org given, or the key's own (single) organization. */
  organizationId(): Promise<string>;
}

/**
 * Runs one client command: builds the client, and maps failures to exit codes
 * (1 for API and connection errors, with the message and requestId on stderr;
 * 2 for usage errors).
 */
export function clientAction<A extends unknown[]>(run: (session: Session, ...args: A) => Promise<void>) {
  return async (...args: [...A, ConnectionFlags, Command]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const flags = command.optsWithGlobals() as ConnectionFlags;
    try {
      const client = createClient(resolveConnection(flags, process.env));
      const session: Session = {
        client,
        flags,
        async organizationId() {
          if (flags.org) return flags.org;
          const { data } = await client.GET('/v1/organizations');
          return data!.result![0]!.id!;
        },
      };
      await run(session, ...(args.slice(0, -2) as A));
    } catch (err) {
      if (err instanceof UsageError) {
        process.stderr.write(`orgplane: ${err.message}\n`);
        process.exitCode = 2;
      } else if (err instanceof OrgplaneApiError) {
        process.stderr.write(`orgplane: ${err.message} (HTTP ${err.status}, requestId ${err.requestId ?? 'none'})\n`);
        process.exitCode = 1;
      } else if (err instanceof TypeError && /fetch failed/.test(err.message)) {
        process.stderr.write(`orgplane: cannot reach the server: ${(err.cause as Error)?.message ?? err.message}\n`);
        process.exitCode = 1;
      } else {
        throw err;
      }
    }
  };
}
