import { InvalidArgumentError, Option, type Command } from 'commander';
import type { paths } from '@orgplane/client';
import { CLOUD_PROVIDERS, regionBelongsTo, type CloudProvider } from '../../vocabulary/cloud-regions.js';
import { listOrganizationsFromDatabase } from '../org-operator.js';
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
function parseEndpoint(value: string, previous: Record<string, string>[] = []): Record<string, string>[] {
  const [id, cloudProvider, region, ...rest] = value.split(',');
  if (!id || !cloudProvider || !region) throw new InvalidArgumentError(`--add-private-endpoint expects id,provider,region[,description], got "${value}"`);
  if (!CLOUD_PROVIDERS.includes(cloudProvider as CloudProvider)) throw new InvalidArgumentError(`unknown cloud provider "${cloudProvider}" (${CLOUD_PROVIDERS.join(', ')})`);
  if (!regionBelongsTo(cloudProvider as CloudProvider, region)) throw new InvalidArgumentError(`"${region}" is not a ${cloudProvider} region`);
  const endpoint: Record<string, string> = { id, cloudProvider, region };
  if (rest.length) endpoint.description = rest.join(',');
  return [...previous, endpoint];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('organizations, over the HTTP API (needs a running server)');

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

  withConnectionOptions(org.command('update').description('change the name, core dumps or private endpoints (admin keys)'))
    .option('--org <id>', 'organization ID')
    .option('--name <name>', 'new name')
    .addOption(new Option('--enable-core-dumps <bool>', 'enable crash reports').choices(['true', 'false']))
    .option('--add-private-endpoint <id,provider,region[,description]>', 'add (or update) a private endpoint; repeatable', parseEndpoint)
    .option('--remove-private-endpoint <id>', 'remove a private endpoint; repeatable', collect)
    .addHelpText('after', '\nExamples:\n  orgplane org update --name "Acme"\n  orgplane org update --add-private-endpoint vpce-1,aws,us-east-1,prod --remove-private-endpoint vpce-0')
    .action(
      clientAction(async (session) => {
        const f = session.flags as Record<string, any>;
        const body: Record<string, unknown> = {};
        if (f.name !== undefined) body.name = f.name;
        if (f.enableCoreDumps !== undefined) body.enableCoreDumps = f.enableCoreDumps === 'true';
        if (f.addPrivateEndpoint || f.removePrivateEndpoint) {
          body.privateEndpoints = {
            ...(f.addPrivateEndpoint ? { add: f.addPrivateEndpoint } : {}),
            ...(f.removePrivateEndpoint ? { remove: f.removePrivateEndpoint.map((id: string) => ({ id })) } : {}),
          };
        }
        if (Object.keys(body).length === 0) throw new UsageError('nothing to update: give --name, --enable-core-dumps or a private endpoint option');
        const organizationId = await session.organizationId();
        const { data } = await session.client.PATCH('/v1/organizations/{organizationId}', { params: { path: { organizationId } }, body: body as never });
        printOrganizations(session.flags.json, data!.result, [data!.result]);
      }),
    );
}
