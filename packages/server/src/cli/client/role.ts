import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { paths } from '@orgplane/client';
import { clientAction, UsageError, withConnectionOptions } from './connection.js';
import { formatTime, print } from '../output.js';

type Role = paths['/v1/organizations/{organizationId}/roles/{roleId}']['get']['responses'][200]['content']['application/json']['result'];
type RoleBody = paths['/v1/organizations/{organizationId}/roles']['post']['requestBody']['content']['application/json'];
type PolicyInput = RoleBody['policies'][number];

function printRoles(json: boolean | undefined, value: unknown, roles: Role[]): void {
  print(
    json,
    value,
    ['ID', 'NAME', 'TYPE', 'POLICIES', 'ACTORS', 'UPDATED'],
    roles.map((r) => [
      r.id,
      r.name,
      r.type,
      r.policies.map((p) => `${p.allowDeny} ${p.permissions.join(',')} on ${p.resources.join(',')}`).join('\n') || '-',
      r.actors.join('\n') || '-',
      formatTime(r.updatedAt),
    ]),
  );
}

/** One policy object or an array of them, as JSON; `[]` stands for none. */
function parsePolicies(text: string, where: string): PolicyInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`${where} is not JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (!list.every((p) => typeof p === 'object' && p !== null && !Array.isArray(p))) {
    throw new InvalidArgumentError(`${where} must be a policy object {"allowDeny","permissions","resources"} or an array of them`);
  }
  return list as PolicyInput[];
}

const collectPolicies = (value: string, previous: PolicyInput[] = []) => [...previous, ...parsePolicies(value, '--policy')];
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The body fields shared by create and update, from the flags; undefined for what was not given. */
function roleFields(f: Record<string, any>): Partial<RoleBody> {
  const body: Partial<RoleBody> = {};
  if (f.name !== undefined) body.name = f.name;
  if (f.policiesFile !== undefined || f.policy !== undefined) {
    let fromFile: PolicyInput[] = [];
    if (f.policiesFile !== undefined) {
      let text: string;
      try {
        text = readFileSync(f.policiesFile === '-' ? 0 : f.policiesFile, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read --policies-file ${f.policiesFile}: ${(err as Error).message}`);
      }
      try {
        fromFile = parsePolicies(text, `--policies-file ${f.policiesFile}`);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    body.policies = [...fromFile, ...(f.policy ?? [])];
  }
  // "" stands for no actor at all, so `--actor ""` clears the list.
  if (f.actor !== undefined) body.actors = (f.actor as string[]).filter(Boolean);
  return body;
}

const POLICY_HELP = 'a policy as JSON, {"allowDeny":"ALLOW","permissions":[…],"resources":[…]}, or a JSON array of them; repeatable ("[]" for none)';

export function registerRoleCommands(program: Command): void {
  const role = program.command('role').description('roles (system and custom), over the HTTP API');
  const rolePath = '/v1/organizations/{organizationId}/roles/{roleId}' as const;

  withConnectionOptions(role.command('list').description('list the organization roles: the system roles, then the custom ones'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane role list')
    .action(
      clientAction(async (session) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/roles', { params: { path: { organizationId } } });
        printRoles(session.flags.json, data!.result, data!.result);
      }),
    );

  withConnectionOptions(role.command('get').description('show one role').argument('<roleId>', 'the role ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane role get 7f3e… --json')
    .action(
      clientAction(async (session, roleId: string) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET(rolePath, { params: { path: { organizationId, roleId } } });
        printRoles(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(role.command('create').description('create a custom role'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .requiredOption('--name <name>', 'role name')
    .option('--policy <json>', POLICY_HELP, collectPolicies)
    .option('--policies-file <file>', 'a JSON file with a policy or an array of policies ("-" reads stdin); comes before any --policy')
    .option('--actor <actor>', 'apiKey/<key UUID> or user/<user ID>; repeatable', collect)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  orgplane role create --name viewers --policy \'{"allowDeny":"ALLOW","permissions":["control-plane:organization:view"],"resources":["*"]}\'\n' +
        '  orgplane role create --name deployers --policies-file policies.json --actor apiKey/7f3e…',
    )
    .action(
      clientAction(async (session) => {
        const fields = roleFields(session.flags);
        const body: RoleBody = { name: fields.name!, policies: fields.policies ?? [], actors: fields.actors ?? [] };
        const organizationId = await session.organizationId();
        const { data } = await session.client.POST('/v1/organizations/{organizationId}/roles', { params: { path: { organizationId } }, body });
        printRoles(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(role.command('update').description('change a custom role; --policy/--policies-file and --actor replace the whole list').argument('<roleId>', 'the role ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .option('--name <name>', 'new name')
    .option('--policy <json>', `replace the policies: ${POLICY_HELP}`, collectPolicies)
    .option('--policies-file <file>', 'replace the policies with a JSON file\'s ("-" reads stdin)')
    .option('--actor <actor>', 'replace the actors: apiKey/<key UUID> or user/<user ID>; repeatable ("" clears the list)', collect)
    .addHelpText('after', '\nExamples:\n  orgplane role update 7f3e… --name readers\n  orgplane role update 7f3e… --actor apiKey/1a2b… --actor apiKey/3c4d…\n  orgplane role update 7f3e… --actor ""')
    .action(
      clientAction(async (session, roleId: string) => {
        const body = roleFields(session.flags);
        if (Object.keys(body).length === 0) throw new UsageError('nothing to update: give --name, --policy, --policies-file or --actor');
        const organizationId = await session.organizationId();
        const { data } = await session.client.PATCH(rolePath, { params: { path: { organizationId, roleId } }, body });
        printRoles(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(role.command('delete').description('delete a custom role and every assignment of it').argument('<roleId>', 'the role ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane role delete 7f3e…')
    .action(
      clientAction(async (session, roleId: string) => {
        const organizationId = await session.organizationId();
        await session.client.DELETE(rolePath, { params: { path: { organizationId, roleId } } });
        if (session.flags.json) process.stdout.write(`${JSON.stringify({ deleted: roleId })}\n`);
        else process.stdout.write(`Deleted role ${roleId}.\n`);
      }),
    );
}
