import { Option, type Command } from 'commander';
import type { paths } from '@orgplane/client';
import { KEY_ROLES, KEY_STATES } from '../../vocabulary/key-roles.js';
import { clientAction, UsageError, withConnectionOptions } from './connection.js';
import { formatTime, print } from '../output.js';

type ApiKey = paths['/v1/organizations/{organizationId}/keys/{keyId}']['get']['responses'][200]['content']['application/json']['result'];

function printKeys(json: boolean | undefined, value: unknown, keys: ApiKey[]): void {
  print(
    json,
    value,
    ['ID', 'NAME', 'STATE', 'ROLES', 'ASSIGNED ROLES', 'SUFFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'IP ACCESS'],
    keys.map((k) => [k.id, k.name, k.state, k.roles.join(',') || '-', k.assignedRoles.map((r) => `${r.roleName} (${r.roleId})`).join('\n') || '-', k.keySuffix, formatTime(k.createdAt), formatTime(k.expireAt, 'never'), formatTime(k.usedAt, 'never'), k.ipAccessList.map((e) => e.source).join(',') || 'any']),
  );
}

/** source[:description] entries, comma-separated; an empty string clears the list. */
function parseIpAccessList(value: string): { source: string; description?: string }[] {
  return value
    .split(',')
    .filter(Boolean)
    .map((entry) => {
      // "=" separates the description, since IPv6 sources contain colons.
      const [source = '', description] = entry.split('=');
      return description === undefined ? { source } : { source, description };
    });
}

const roleOption = () => new Option('--role <role...>', 'deprecated role(s), sent as roles').choices(KEY_ROLES);
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The body fields shared by create and update, from the flags. */
function keyFields(f: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (f.name !== undefined) body.name = f.name;
  if (f.role !== undefined) body.roles = f.role;
  // "" stands for no role at all, so `--role-id ""` takes every role away.
  if (f.roleId !== undefined) body.assignedRoleIds = (f.roleId as string[]).filter(Boolean);
  if (f.state !== undefined) body.state = f.state;
  if (f.expireAt !== undefined) body.expireAt = f.expireAt === 'never' ? null : f.expireAt;
  if (f.ipAccessList !== undefined) body.ipAccessList = parseIpAccessList(f.ipAccessList);
  return body;
}

export function registerKeyCommands(program: Command): void {
  const key = program.command('key').description('API keys, over the HTTP API (admin keys)');
  const keyPath = '/v1/organizations/{organizationId}/keys/{keyId}' as const;

  withConnectionOptions(key.command('list').description('list the organization API keys'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane key list')
    .action(
      clientAction(async (session) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/keys', { params: { path: { organizationId } } });
        printKeys(session.flags.json, data!.result, data!.result);
      }),
    );

  withConnectionOptions(key.command('get').description('show one key').argument('<keyUuid>', 'the key UUID (its id, not the key ID credential)'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane key get 7f3e…')
    .action(
      clientAction(async (session, keyId: string) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET(keyPath, { params: { path: { organizationId, keyId } } });
        printKeys(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(key.command('create').description('create a key; its ID and secret are shown once'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .requiredOption('--name <name>', 'key name')
    .option('--role-id <id>', 'a role ID (system or custom, see `orgplane role list`), sent as assignedRoleIds; repeatable ("" for none)', collect)
    .addOption(roleOption())
    .addOption(new Option('--state <state>', 'initial state').choices(KEY_STATES))
    .option('--expire-at <time>', 'ISO-8601 expiry (default: never)')
    .option('--ip-access-list <list>', 'allowed sources, comma-separated, each source[=description]')
    .addHelpText(
      'after',
      '\nExamples:\n  orgplane key create --name ci --role-id 7f3e… --role-id 1a2b…\n  orgplane key create --name ci --role developer --expire-at 2027-01-01T00:00:00Z --ip-access-list 10.0.0.0/8=office',
    )
    .action(
      clientAction(async (session) => {
        const f = session.flags as Record<string, unknown>;
        if (f.role === undefined && f.roleId === undefined) throw new UsageError('give the key\'s roles: --role-id ID (repeatable; "" for none) or the deprecated --role');
        const organizationId = await session.organizationId();
        const { data } = await session.client.POST('/v1/organizations/{organizationId}/keys', { params: { path: { organizationId } }, body: keyFields(session.flags) as never });
        const result = data!.result;
        if (session.flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        printKeys(false, result, [result.key]);
        process.stdout.write(`key ID:     ${result.keyId}\nkey secret: ${result.keySecret}\n(The secret is shown only now.)\n`);
      }),
    );

  withConnectionOptions(key.command('update').description('change a key').argument('<keyUuid>', 'the key UUID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .option('--name <name>', 'new name')
    .option('--role-id <id>', 'replace the key\'s roles: a role ID, sent as assignedRoleIds; repeatable ("" takes every role away)', collect)
    .addOption(roleOption())
    .addOption(new Option('--state <state>', 'enable or disable').choices(KEY_STATES))
    .option('--expire-at <time>', 'ISO-8601 expiry, or "never"')
    .option('--ip-access-list <list>', 'replace the allow list: source[=description],… ("" clears it)')
    .addHelpText('after', '\nExamples:\n  orgplane key update 7f3e… --state disabled\n  orgplane key update 7f3e… --role-id 1a2b…\n  orgplane key update 7f3e… --expire-at never --ip-access-list ""')
    .action(
      clientAction(async (session, keyId: string) => {
        const body = keyFields(session.flags);
        if (Object.keys(body).length === 0) throw new UsageError('nothing to update: give --name, --role-id, --role, --state, --expire-at or --ip-access-list');
        const organizationId = await session.organizationId();
        const { data } = await session.client.PATCH(keyPath, { params: { path: { organizationId, keyId } }, body: body as never });
        printKeys(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(key.command('delete').description('delete a key').argument('<keyUuid>', 'the key UUID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane key delete 7f3e…')
    .action(
      clientAction(async (session, keyId: string) => {
        const organizationId = await session.organizationId();
        await session.client.DELETE(keyPath, { params: { path: { organizationId, keyId } } });
        if (session.flags.json) process.stdout.write(`${JSON.stringify({ deleted: keyId })}\n`);
        else process.stdout.write(`Deleted key ${keyId}.\n`);
      }),
    );
}
