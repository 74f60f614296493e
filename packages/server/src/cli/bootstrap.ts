import { Option, type Command } from 'commander';
import { systemClock } from '../clock.js';
import { resolveDatabaseUrl } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { bootstrapOrganization } from '../domain/bootstrap.js';
import { createDomain } from '../domain/create-domain.js';
import { KEY_ROLES, type KeyRole } from '../vocabulary/key-roles.js';

interface BootstrapFlags {
  orgName: string;
  keyName: string;
  role: KeyRole;
  database?: string;
  json?: boolean;
}

export function registerBootstrap(program: Command): void {
  program
    .command('bootstrap')
    .description('create an organization and an API key for it, printing the key ID and secret once')
    .requiredOption('--org-name <name>', 'name of the new organization')
    .option('--key-name <name>', 'name of the new key', 'bootstrap key')
    .addOption(new Option('--role <role>', 'role of the new key').choices(KEY_ROLES).default('admin'))
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--json', 'print exactly one JSON object {organizationId, keyId, keySecret} on stdout')
    .addHelpText('after', '\nExample:\n  orgplane bootstrap --org-name "Acme" --role developer --json')
    .action(async (flags: BootstrapFlags) => {
      const orgName = flags.orgName.trim();
      if (!orgName) program.error('error: --org-name must not be blank', { exitCode: 2 });
      const database = openDatabase(resolveDatabaseUrl(flags.database, process.env), {}, { mustExist: true });
      try {
        await migrateToLatest(database);
        const result = await bootstrapOrganization(createDomain(database, systemClock), { organizationName: orgName, keyName: flags.keyName, role: flags.role }, 'bootstrap');
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
        } else {
          process.stdout.write(
            `Created organization ${result.organizationId} with a ${flags.role} key.\n` +
              `  key ID:     ${result.keyId}\n  key secret: ${result.keySecret}\n(The secret is shown only now.)\n`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
