import { InvalidArgumentError, Option, type Command } from 'commander';
import { systemActor } from '../domain/actor.js';
import { type ServiceRecord } from '../domain/services/service-record.js';
import { DEFAULT_SERVICE_KIND, DEFAULT_SERVICE_STATE, DEFAULT_SERVICE_VERSION, SERVICE_KINDS, SERVICE_STATES } from '../vocabulary/services.js';
import { addServiceRecord, listServiceRecords, removeServiceRecord } from '../domain/services/service.service.js';
import { withDatabase } from './keys.js';
import { formatTime, printTable } from './output.js';

// Operator commands for service records: orgplane hosts no services, so the
// services that quotas and the Prometheus endpoint report on are recorded
// here (or by a seed), never through the API.

function printServices(records: ServiceRecord[]): void {
  printTable(
    ['ID', 'NAME', 'KIND', 'STATE', 'VERSION', 'TAGS', 'CREATED'],
    records.map((s) => [s.id, s.name, s.kind, s.state, s.version, Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join('\n') || '-', formatTime(s.createdAt)]),
  );
}

/** KEY=VALUE, split at the first "=" (a value may contain more); the key is checked by the domain. */
function collectTag(value: string, previous: [string, string][] = []): [string, string][] {
  const at = value.indexOf('=');
  if (at < 0) throw new InvalidArgumentError(`expected KEY=VALUE, got "${value}"`);
  return [...previous, [value.slice(0, at), value.slice(at + 1)]];
}

interface CommonFlags {
  org: string;
  database?: string;
  json?: boolean;
}

interface AddFlags extends CommonFlags {
  name: string;
  id?: string;
  kind?: string;
  state?: string;
  version?: string;
  tag?: [string, string][];
}

function withCommonOptions(command: Command): Command {
  return command
    .requiredOption('--org <id>', 'organization ID', (v: string) => v.toLowerCase())
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)');
}

export function registerServices(program: Command): void {
  const services = program.command('services').description('record the services an organization has, for quotas and Prometheus (operator commands)');

  withCommonOptions(services.command('add').description('record a service of an organization'))
    .requiredOption('--name <name>', 'service name (1 to 255 characters)')
    .option('--id <uuid>', 'service ID (default: a new UUID)')
    .addOption(new Option('--kind <kind>', `kind of service (default ${DEFAULT_SERVICE_KIND})`).choices(SERVICE_KINDS))
    .addOption(new Option('--state <state>', `state, as Prometheus reports it (default ${DEFAULT_SERVICE_STATE})`).choices(SERVICE_STATES))
    .option('--version <version>', `ClickHouse (or PostgreSQL) version (default ${DEFAULT_SERVICE_VERSION})`)
    .option('--tag <KEY=VALUE>', 'a tag; repeatable, each key once', collectTag)
    .option('--json', 'print the record as one JSON object')
    .addHelpText('after', '\nExamples:\n  orgplane services add --org 2b1c… --name analytics --tag env=prod --tag team=data\n  orgplane services add --org 2b1c… --name pg-main --kind postgres --version 17 --json')
    .action(async (flags: AddFlags) => {
      await withDatabase(flags, async (domain) => {
        const record = await addServiceRecord(
          domain,
          flags.org,
          {
            name: flags.name,
            ...(flags.id === undefined ? {} : { id: flags.id }),
            ...(flags.kind === undefined ? {} : { kind: flags.kind }),
            ...(flags.state === undefined ? {} : { state: flags.state }),
            ...(flags.version === undefined ? {} : { version: flags.version }),
            tags: flags.tag ?? [],
          },
          { actor: systemActor('services add') },
        );
        if (flags.json) process.stdout.write(`${JSON.stringify(record)}\n`);
        else printServices([record]);
      });
    });

  withCommonOptions(services.command('list').description('list the service records of an organization, in the order they were added'))
    .option('--json', 'print a JSON array of the records')
    .addHelpText('after', '\nExample:\n  orgplane services list --org 2b1c…')
    .action(async (flags: CommonFlags) => {
      await withDatabase(flags, async ({ db }) => {
        const records = await listServiceRecords(db, flags.org);
        if (flags.json) process.stdout.write(`${JSON.stringify(records)}\n`);
        else printServices(records);
      });
    });

  withCommonOptions(services.command('remove').description('remove a service record'))
    .requiredOption('--id <uuid>', 'the service ID')
    .option('--json', 'print the removed record as one JSON object')
    .addHelpText('after', '\nExample:\n  orgplane services remove --org 2b1c… --id 7f3e…')
    .action(async (flags: CommonFlags & { id: string }) => {
      await withDatabase(flags, async (domain) => {
        const record = await removeServiceRecord(domain, flags.org, flags.id, { actor: systemActor('services remove') });
        if (flags.json) process.stdout.write(`${JSON.stringify(record)}\n`);
        else process.stdout.write(`Removed service record ${record.id} (${record.name}).\n`);
      });
    });
}
