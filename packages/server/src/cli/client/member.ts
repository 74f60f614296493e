import { Option, type Command } from 'commander';
import type { paths } from '@orgplane/client';
import { MEMBER_ROLES } from '../../schemas/member.js';
import { clientAction, UsageError, withConnectionOptions } from './connection.js';
import { formatTime, print } from '../output.js';

type Member = paths['/v1/organizations/{organizationId}/members/{userId}']['get']['responses'][200]['content']['application/json']['result'];

function printMembers(json: boolean | undefined, value: unknown, members: Member[]): void {
  print(
    json,
    value,
    ['USER ID', 'NAME', 'EMAIL', 'ROLE', 'ASSIGNED ROLES', 'JOINED'],
    members.map((m) => [m.userId, m.name, m.email, m.role ?? '-', m.assignedRoles.map((r) => r.roleName).join(',') || '-', formatTime(m.joinedAt)]),
  );
}

export function registerMemberCommands(program: Command): void {
  const member = program.command('member').description('organization members, over the HTTP API');
  const memberPath = '/v1/organizations/{organizationId}/members/{userId}' as const;

  withConnectionOptions(member.command('list').description('list the organization members, in the order they joined'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane member list --json')
    .action(
      clientAction(async (session) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/members', { params: { path: { organizationId } } });
        printMembers(session.flags.json, data!.result, data!.result);
      }),
    );

  withConnectionOptions(member.command('get').description('show one member').argument('<userId>', 'the member\'s user ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane member get a41f…')
    .action(
      clientAction(async (session, userId: string) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET(memberPath, { params: { path: { organizationId, userId } } });
        printMembers(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(member.command('update').description('replace a member\'s roles').argument('<userId>', 'the member\'s user ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .option('--role-id <id...>', 'role ID(s) the member gets, replacing its roles (repeatable)')
    .addOption(new Option('--role <role>', 'deprecated: the Admin or Developer system role alone').choices(MEMBER_ROLES))
    .addHelpText('after', '\nExamples:\n  orgplane member update a41f… --role-id 3abb…\n  orgplane member update a41f… --role admin')
    .action(
      clientAction(async (session, userId: string) => {
        const flags = session.flags as { roleId?: string[]; role?: string };
        if (flags.roleId === undefined && flags.role === undefined) throw new UsageError('nothing to update: give --role-id or --role');
        const body: Record<string, unknown> = {};
        if (flags.roleId !== undefined) body.assignedRoleIds = flags.roleId;
        if (flags.role !== undefined) body.role = flags.role;
        const organizationId = await session.organizationId();
        const { data } = await session.client.PATCH(memberPath, { params: { path: { organizationId, userId } }, body: body as never });
        printMembers(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(member.command('remove').description('remove a member from the organization').argument('<userId>', 'the member\'s user ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane member remove a41f…')
    .action(
      clientAction(async (session, userId: string) => {
        const organizationId = await session.organizationId();
        await session.client.DELETE(memberPath, { params: { path: { organizationId, userId } } });
        if (session.flags.json) process.stdout.write(`${JSON.stringify({ removed: userId })}\n`);
        else process.stdout.write(`Removed member ${userId}.\n`);
      }),
    );
}
