import { InvalidArgumentError, type Command } from 'commander';
import type { paths } from '@orgplane/client';
import { clientAction, UsageError, withConnectionOptions } from './connection.js';
import { print } from '../output.js';

const createPath = '/v1/organizations/{organizationId}/byocInfrastructure' as const;
const byocPath = '/v1/organizations/{organizationId}/byocInfrastructure/{byocInfrastructureId}' as const;

type ByocConfig = paths[typeof createPath]['post']['responses'][200]['content']['application/json']['result'];
type CreateBody = paths[typeof createPath]['post']['requestBody']['content']['application/json'];
type Zone = NonNullable<CreateBody['availabilityZoneSuffixes']>[number];

function printByoc(json: boolean | undefined, value: ByocConfig): void {
  print(json, value, ['ID', 'STATE', 'ACCOUNT', 'REGION', 'PROVIDER', 'NAME'], [[value.id, value.state, value.accountName, value.regionId, value.cloudProvider, value.displayName]]);
}

/** "a,b,c" → ["a","b","c"]; the server checks the letters and that none repeats. */
function parseZones(value: string): Zone[] {
  const zones = value.split(',').map((z) => z.trim());
  if (zones.some((z) => z === '')) throw new InvalidArgumentError('expected comma-separated zone suffixes such as a,b,c');
  return zones as Zone[];
}

export function registerByocCommands(program: Command): void {
  const byoc = program.command('byoc').description('BYOC infrastructures (listed in `org get`), over the HTTP API');

  withConnectionOptions(byoc.command('create').description('create a BYOC infrastructure: infra-provisioning, then infra-ready'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .requiredOption('--region <regionId>', 'the region, e.g. us-east-1, europe-west4, eastus (it decides the cloud provider)')
    .requiredOption('--account <accountId>', 'AWS account ID (12 digits), GCP project ID or Azure subscription UUID')
    .option('--zones <suffixes>', 'availability zone suffixes, comma-separated (server default a,b,c)', parseZones)
    .option('--cidr <range>', 'private IPv4 VPC range, /16 to /24 (server default 10.0.0.0/16)')
    .option('--name <displayName>', "display name (server default 'BYOC <region> <account>')")
    .addHelpText('after', '\nExamples:\n  orgplane byoc create --region us-east-1 --account 123456789012\n  orgplane byoc create --region europe-west4 --account acme-prod-42 --zones a,b --cidr 10.20.0.0/20 --name "EU prod"')
    .action(
      clientAction(async (session) => {
        const f = session.flags as Record<string, any>;
        const body: CreateBody = {
          regionId: f.region,
          accountId: f.account,
          ...(f.zones === undefined ? {} : { availabilityZoneSuffixes: f.zones }),
          ...(f.cidr === undefined ? {} : { vpcCidrRange: f.cidr }),
          ...(f.name === undefined ? {} : { displayName: f.name }),
        };
        const organizationId = await session.organizationId();
        const { data } = await session.client.POST(createPath, { params: { path: { organizationId } }, body });
        printByoc(session.flags.json, data!.result!);
      }),
    );

  withConnectionOptions(byoc.command('update').description('rename a BYOC infrastructure').argument('<id>', 'the infrastructure ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .option('--name <displayName>', 'new display name')
    .addHelpText('after', '\nExample:\n  orgplane byoc update 3f9a… --name "Production"')
    .action(
      clientAction(async (session, byocInfrastructureId: string) => {
        const name = (session.flags as { name?: string }).name;
        if (name === undefined) throw new UsageError('nothing to update: give --name');
        const organizationId = await session.organizationId();
        const { data } = await session.client.PATCH(byocPath, { params: { path: { organizationId, byocInfrastructureId } }, body: { displayName: name } });
        printByoc(session.flags.json, data!.result!);
      }),
    );

  withConnectionOptions(byoc.command('delete').description('delete a BYOC infrastructure (infra-terminated, then gone)').argument('<id>', 'the infrastructure ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane byoc delete 3f9a…')
    .action(
      clientAction(async (session, byocInfrastructureId: string) => {
        const organizationId = await session.organizationId();
        await session.client.DELETE(byocPath, { params: { path: { organizationId, byocInfrastructureId } } });
        if (session.flags.json) process.stdout.write(`${JSON.stringify({ deleted: byocInfrastructureId })}\n`);
        else process.stdout.write(`Deleted BYOC infrastructure ${byocInfrastructureId}; it is infra-terminated now.\n`);
      }),
    );
}
