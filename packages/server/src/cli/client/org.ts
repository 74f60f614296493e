import { InvalidArgumentError, Option, type Command } from 'commander';
import type { paths } from '@orgplane/client';
import { CLOUD_PROVIDERS, regionBelongsTo, type CloudProvider } from '../../vocabulary/cloud-regions.js';
import type { OrganizationPatch, PrivateEndpointInput } from '../../schemas/organization.js';
import { listOrganizationsFromDatabase } from '../org-operator.js';
import { updateOrganizationInDatabase } from '../org-update-operator.js';
import { clientAction, UsageError, withConnectionOptions } from './connection.js';
import { formatTime, print } from '../output.js';

type Organization = paths['/v1/organizations/{organizationId}']['get']['responses'][200]['content']['application/json']['result'];

function printOrganizations(json: boolean | undefined, value: unknown, orgs: Organization[]): void {
  print(
    json,
    value,
    ['ID', 'NAME', 'CREATED', 'CORE DUMPS', 'PRIVATE ENDPOINTS', 'BYOC'],
    orgs.map((o) => [
      o.id,
      o.name,
      formatTime(o.createdAt),
      String(o.enableCoreDumps),
      o.privateEndpoints.map((e) => `${e.id} (${e.cloudProvider}/${e.region})`).join('\n') || '-',
      o.byocConfig.map((b) => `${b.id} ${b.state} (${b.cloudProvider}/${b.regionId})`).join('\n') || '-',
    ]),
  );
}

/** id,provider,region[,description] → an endpoint to add; checked here so typos fail before any request. */
function parseEndpoint(value: string, previous: PrivateEndpointInput[] = []): PrivateEndpointInput[] {
  const [id, cloudProvider, region, ...rest] = value.split(',');
  if (!id || !cloudProvider || !region) throw new InvalidArgumentError(`--add-private-endpoint expects id,provider,region[,description], got "${value}"`);
  if (!CLOUD_PROVIDERS.includes(cloudProvider as CloudProvider)) throw new InvalidArgumentError(`unknown cloud provider "${cloudProvider}" (${CLOUD_PROVIDERS.join(', ')})`);
  if (!regionBelongsTo(cloudProvider as CloudProvider, region)) throw new InvalidArgumentError(`"${region}" is not a ${cloudProvider} region`);
  const endpoint = { id, cloudProvider, region } as PrivateEndpointInput;
  if (rest.length) endpoint.description = rest.join(',');
  return [...previous, endpoint];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface UpdateFlags {
  org?: string;
  name?: string;
  enableCoreDumps?: 'true' | 'false';
  addPrivateEndpoint?: PrivateEndpointInput[];
  removePrivateEndpoint?: string[];
  database?: string;
  json?: boolean;
}

/** The PATCH body the flags ask for, the same over HTTP and on the database; a usage error when they ask for nothing. */
function patchOf(flags: UpdateFlags): OrganizationPatch {
  const body: OrganizationPatch = {};
  if (flags.name !== undefined) body.name = flags.name;
  if (flags.enableCoreDumps !== undefined) body.enableCoreDumps = flags.enableCoreDumps === 'true';
  if (flags.addPrivateEndpoint || flags.removePrivateEndpoint) {
    body.privateEndpoints = {
      ...(flags.addPrivateEndpoint ? { add: flags.addPrivateEndpoint } : {}),
      ...(flags.removePrivateEndpoint ? { remove: flags.removePrivateEndpoint.map((id) => ({ id })) } : {}),
    };
  }
  if (Object.keys(body).length === 0) throw new UsageError('nothing to update: give --name, --enable-core-dumps or a private endpoint option');
  return body;
}

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('organizations, over the HTTP API (needs a running server); list and update also straight on a database with --database');

  const listOverHttp = clientAction(async ({ client, flags }) => {
    const { data } = await client.GET('/v1/organizations');
    printOrganizations(flags.json, data!.result, data!.result);
  });
  withConnectionOptions(org.command('list').description('list the organization of the API key, or with --database every organization in that database'))
    // Only the explicit flag switches to the database, never ORGPLANE_DATABASE_URL (which the
    // server's own environment sets), so a client command never silently reads a local file.
    .addOption(
      new Option('--database <url>', 'operator mode: read every organization straight from this database (no server or credentials needed)').conflicts(['url', 'keyId', 'keySecret']),
    )
    .addHelpText('after', '\nExamples:\n  ORGPLANE_KEY_ID=… ORGPLANE_KEY_SECRET=… orgplane org list\n  orgplane org list --database sqlite:./data/orgplane.db')
    .action(async (flags: { database?: string; json?: boolean }, command: Command) => {
      if (flags.database !== undefined) await listOrganizationsFromDatabase(flags.database, flags.json);
      else await listOverHttp(flags, command);
    });

  withConnectionOptions(org.command('get').description('show one organization (default: the key\'s own)'))
    .option('--org <id>', 'organization ID')
    .addHelpText('after', '\nExample:\n  orgplane org get --json')
    .action(
      clientAction(async (session) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET('/v1/organizations/{organizationId}', { params: { path: { organizationId } } });
        printOrganizations(session.flags.json, data!.result, [data!.result]);
      }),
    );

  const updateOverHttp = clientAction(async (session) => {
    const body = patchOf(session.flags);
    const organizationId = await session.organizationId();
    const { data } = await session.client.PATCH('/v1/organizations/{organizationId}', { params: { path: { organizationId } }, body: body as never });
    printOrganizations(session.flags.json, data!.result, [data!.result]);
  });
  withConnectionOptions(org.command('update').description('change the name, core dumps or private endpoints (admin keys), or with --database as the operator'))
    .option('--org <id>', 'organization ID (required with --database)')
    .option('--name <name>', 'new name')
    .addOption(new Option('--enable-core-dumps <bool>', 'enable crash reports').choices(['true', 'false']))
    .option('--add-private-endpoint <id,provider,region[,description]>', 'add (or update) a private endpoint; repeatable', parseEndpoint)
    .option('--remove-private-endpoint <id>', 'remove a private endpoint; repeatable', collect)
    // As for `org list`: only the explicit flag switches to the database.
    .addOption(
      new Option('--database <url>', 'operator mode: change the organization straight in this database, audited as the operator (needs --org; no server or credentials)').conflicts([
        'url',
        'keyId',
        'keySecret',
      ]),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  orgplane org update --name "Acme"\n  orgplane org update --add-private-endpoint vpce-1,aws,us-east-1,prod --remove-private-endpoint vpce-0\n  orgplane org update --database sqlite:./data/orgplane.db --org 2b1c… --name "Acme"',
    )
    .action(async (flags: UpdateFlags, command: Command) => {
      if (flags.database === undefined) return updateOverHttp(flags, command);
      let patch: OrganizationPatch;
      try {
        if (flags.org === undefined) throw new UsageError('--database needs --org <id>: the organization to change (`orgplane org list --database URL` lists them)');
        patch = patchOf(flags);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        process.stderr.write(`orgplane: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      const organization = await updateOrganizationInDatabase(flags.database, flags.org, patch);
      if (organization) printOrganizations(flags.json, organization, [organization]);
    });
}
