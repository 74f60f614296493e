import { Option, type Command } from 'commander';
import { systemActor } from '../domain/actor.js';
import { addMember } from '../domain/members/member.service.js';
import { MEMBER_ROLES, type Member, type MemberRole } from '../schemas/member.js';
import { withDatabase } from './keys.js';
import { formatTime, printTable } from './output.js';

// Operator commands for members: orgplane has no user sign-in, so people join
// through the operator (here, or `orgplane invitations accept`). Audited with
// actorType "system"; they refuse a SQLite path that does not exist.

/** One member as a table, or exactly one JSON object: the Member as the API shows it. */
export function printMember(member: Member, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(member)}\n`);
    return;
  }
  printTable(['USER ID', 'NAME', 'EMAIL', 'ROLES', 'JOINED'], [[member.userId, member.name, member.email, member.assignedRoles.map((r) => r.roleName).join(',') || '-', formatTime(member.joinedAt)]]);
}

interface AddFlags {
  org: string;
  email: string;
  name?: string;
  roleId?: string[];
  role?: MemberRole;
  database?: string;
  json?: boolean;
}

export function registerMembers(program: Command): void {
  const members = program.command('members').description('add members directly in the database (operator commands)');

  members
    .command('add')
    .description('add a member to an organization (default role: the Member system role)')
    .requiredOption('--org <id>', 'organization ID', (v: string) => v.toLowerCase())
    .requiredOption('--email <email>', 'the member\'s email (stored in lower case)')
    .option('--name <name>', 'display name (default: the email\'s local part)')
    .option('--role-id <id...>', 'role ID(s) of the organization, system or custom (repeatable)')
    .addOption(new Option('--role <role>', 'deprecated role: the Admin or Developer system role').choices(MEMBER_ROLES))
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--json', 'print the member as one JSON object')
    .addHelpText('after', '\nExamples:\n  orgplane members add --org 2b1c… --email ada@example.com --name "Ada Lovelace" --role admin\n  orgplane members add --org 2b1c… --email bob@example.com --role-id 9f0e… --role-id 3abb… --json')
    .action(async (flags: AddFlags) => {
      await withDatabase(flags, async (domain) => {
        const member = await addMember(
          domain,
          flags.org,
          {
            email: flags.email,
            ...(flags.name === undefined ? {} : { name: flags.name }),
            ...(flags.role === undefined ? {} : { role: flags.role }),
            ...(flags.roleId === undefined ? {} : { assignedRoleIds: flags.roleId }),
          },
          { actor: systemActor('members add') },
        );
        printMember(member, flags.json);
      });
    });
}
