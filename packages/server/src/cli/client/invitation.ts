import { Option, type Command } from 'commander';
import type { paths } from '@orgplane/client';
import { MEMBER_ROLES } from '../../schemas/member.js';
import { clientAction, withConnectionOptions } from './connection.js';
import { formatTime, print } from '../output.js';

type Invitation = paths['/v1/organizations/{organizationId}/invitations/{invitationId}']['get']['responses'][200]['content']['application/json']['result'];

function printInvitations(json: boolean | undefined, value: unknown, invitations: Invitation[]): void {
  print(
    json,
    value,
    ['ID', 'EMAIL', 'ROLE', 'ASSIGNED ROLES', 'CREATED', 'EXPIRES'],
    invitations.map((i) => [i.id, i.email, i.role ?? '-', i.assignedRoles.map((r) => r.roleName).join(',') || '-', formatTime(i.createdAt), formatTime(i.expireAt)]),
  );
}

export function registerInvitationCommands(program: Command): void {
  const invitation = program.command('invitation').description('invitations to join the organization, over the HTTP API');
  const invitationPath = '/v1/organizations/{organizationId}/invitations/{invitationId}' as const;

  withConnectionOptions(invitation.command('list').description('list the invitations, expired ones included'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane invitation list')
    .action(
      clientAction(async (session) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/invitations', { params: { path: { organizationId } } });
        printInvitations(session.flags.json, data!.result, data!.result);
      }),
    );

  withConnectionOptions(invitation.command('create').description('invite an email (default role: the Member system role)'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .requiredOption('--email <email>', 'the email to invite (stored in lower case)')
    .option('--role-id <id...>', 'role ID(s) the invited user gets on joining (repeatable)')
    .addOption(new Option('--role <role>', 'deprecated: the Admin or Developer system role alone').choices(MEMBER_ROLES))
    .addHelpText('after', '\nExamples:\n  orgplane invitation create --email dev@example.com --role-id 3abb…\n  orgplane invitation create --email ops@example.com --role admin --json')
    .action(
      clientAction(async (session) => {
        const flags = session.flags as { email: string; roleId?: string[]; role?: string };
        const body: Record<string, unknown> = { email: flags.email };
        if (flags.roleId !== undefined) body.assignedRoleIds = flags.roleId;
        if (flags.role !== undefined) body.role = flags.role;
        const organizationId = await session.organizationId();
        const { data } = await session.client.POST('/v1/organizations/{organizationId}/invitations', { params: { path: { organizationId } }, body: body as never });
        printInvitations(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(invitation.command('get').description('show one invitation').argument('<invitationId>', 'the invitation ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane invitation get e7b6…')
    .action(
      clientAction(async (session, invitationId: string) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET(invitationPath, { params: { path: { organizationId, invitationId } } });
        printInvitations(session.flags.json, data!.result, [data!.result]);
      }),
    );

  withConnectionOptions(invitation.command('delete').description('delete an invitation').argument('<invitationId>', 'the invitation ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane invitation delete e7b6…')
    .action(
      clientAction(async (session, invitationId: string) => {
        const organizationId = await session.organizationId();
        await session.client.DELETE(invitationPath, { params: { path: { organizationId, invitationId } } });
        if (session.flags.json) process.stdout.write(`${JSON.stringify({ deleted: invitationId })}\n`);
        else process.stdout.write(`Deleted invitation ${invitationId}.\n`);
      }),
    );
}
