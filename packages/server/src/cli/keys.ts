import { Option, type Command } from 'commander';
import { systemClock } from '../clock.js';
import { resolveDatabaseUrl } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { systemActor } from '../domain/actor.js';
import { type Domain } from '../domain/domain.js';
import { createDomain } from '../domain/create-domain.js';
import { addKey, deleteKey, getKeys, updateKey } from '../domain/keys/key.service.js';
import { KEY_ROLES, type KeyRole } from '../vocabulary/key-roles.js';
import { findOrganization } from '../domain/organizations/organization.repository.js';
import { ApiError, notFound } from '../domain/errors.js';
import type { ApiKey } from '../schemas/key.js';
import { formatTime, printTable } from './output.js';

// Operator commands: they work directly on the database (no server needed) and
// are audited with actorType "system". They refuse a SQLite path that does not
// exist: a mistyped path would otherwise become a new, empty database.

interface CommonFlags {
  org: string;
  database?: string;
  json?: boolean;
}

/** Runs an operator command on the database (which must exist); domain refusals exit 1 with their message. */
export async function withDatabase<T>(flags: Pick<CommonFlags, 'database'>, fn: (domain: Domain) => Promise<T>): Promise<T> {
  const database = openDatabase(resolveDatabaseUrl(flags.database, process.env), {}, { mustExist: true });
  try {
    await migrateToLatest(database);
    return await fn(createDomain(database, systemClock));
  } catch (err) {
    // Domain refusals (unknown key, quota, past expiry) are the operator's to fix: exit 1 with the message.
    if (err instanceof ApiError) {
      process.stderr.write(`orgplane: ${err.message}\n`);
      process.exitCode = 1;
      return undefined as T;
    }
    throw err;
  } finally {
    await database.close();
  }
}

function printKeys(keys: ApiKey[], json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(keys)}\n`);
    return;
  }
  printTable(
    ['ID', 'NAME', 'STATE', 'ROLES', 'SUFFIX', 'CREATED', 'EXPIRES', 'LAST USED'],
    keys.map((k) => [k.id, k.name, k.state, k.roles.join(',') || '-', k.keySuffix, formatTime(k.createdAt), formatTime(k.expireAt, 'never'), formatTime(k.usedAt, 'never')]),
  );
}

function withCommonOptions(command: Command): Command {
  return command
    .requiredOption('--org <id>', 'organization ID', (v: string) => v.toLowerCase())
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--json', 'machine-readable output');
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage API keys directly in the database (operator commands)');

  withCommonOptions(keys.command('create').description('create a key and print its ID and secret once'))
    .requiredOption('--name <name>', 'key name')
    .addOption(new Option('--role <role...>', 'role(s) of the key').choices(KEY_ROLES).makeOptionMandatory())
    .option('--expire-at <time>', 'ISO-8601 expiry (default: never)')
    .addHelpText('after', '\nExample:\n  orgplane keys create --org 2b1c… --name ci --role developer --expire-at 2027-01-01T00:00:00Z --json')
    .action(async (flags: CommonFlags & { name: string; role: KeyRole[]; expireAt?: string }) => {
      await withDatabase(flags, async (domain) => {
        const result = await addKey(domain, flags.org, { name: flags.name, roles: flags.role, expireAt: flags.expireAt ?? null }, { actor: systemActor('keys create') });
        if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else {
          printKeys([result.key], false);
          process.stdout.write(`key ID:     ${result.keyId}\nkey secret: ${result.keySecret}\n(The secret is shown only now.)\n`);
        }
      });
    });

  withCommonOptions(keys.command('list').description('list the keys of an organization'))
    .addHelpText('after', '\nExample:\n  orgplane keys list --org 2b1c…')
    .action(async (flags: CommonFlags) => {
      await withDatabase(flags, async ({ db }) => {
        if (!(await findOrganization(db, flags.org))) throw notFound(`Organization ${flags.org}`);
        printKeys(await getKeys(db, flags.org), flags.json);
      });
    });

  for (const [name, state] of [['disable', 'disabled'], ['enable', 'enabled']] as const) {
    withCommonOptions(keys.command(name).description(`${name} a key`))
      .requiredOption('--key <uuid>', 'the key UUID (the `id` of the key, not its key ID)', (v: string) => v.toLowerCase())
      .addHelpText('after', `\nExample:\n  orgplane keys ${name} --org 2b1c… --key 7f3e…`)
      .action(async (flags: CommonFlags & { key: string }) => {
        await withDatabase(flags, async (domain) => {
          printKeys([await updateKey(domain, flags.org, flags.key, { state }, { actor: systemActor(`keys ${name}`) })], flags.json);
        });
      });
  }

  withCommonOptions(keys.command('delete').description('delete a key'))
    .requiredOption('--key <uuid>', 'the key UUID (the `id` of the key, not its key ID)', (v: string) => v.toLowerCase())
    .addHelpText('after', '\nExample:\n  orgplane keys delete --org 2b1c… --key 7f3e…')
    .action(async (flags: CommonFlags & { key: string }) => {
      await withDatabase(flags, async (domain) => {
        const key = await deleteKey(domain, flags.org, flags.key, { actor: systemActor('keys delete') });
        if (flags.json) process.stdout.write(`${JSON.stringify({ deleted: key.id })}\n`);
        else process.stdout.write(`Deleted key ${key.id} (${key.name}).\n`);
      });
    });
}
