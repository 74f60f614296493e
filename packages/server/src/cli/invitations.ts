import type { Command } from 'commander';
import { acceptInvitation } from '../domain/invitations/invitation.service.js';
import { withDatabase } from './keys.js';
import { printMember } from './members.js';

// `orgplane invitations accept`: orgplane has no user sign-in, so the operator
// accepts an invitation on the invited person's behalf. The join is recorded
// as organization_member_join with the new member as its actor (type user).

interface AcceptFlags {
  invitation: string;
  name?: string;
  database?: string;
  json?: boolean;
}

export function registerInvitations(program: Command): void {
  const invitations = program.command('invitations').description('accept invitations directly in the database (operator commands)');

  invitations
    .command('accept')
    .description('accept an open invitation: the invited email becomes a member with the invitation\'s roles')
    .requiredOption('--invitation <id>', 'invitation ID', (v: string) => v.toLowerCase())
    .option('--name <name>', 'the member\'s display name (default: the email\'s local part)')
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--json', 'print the new member as one JSON object')
    .addHelpText('after', '\nExample:\n  orgplane invitations accept --invitation e7b6… --name "Grace Hopper" --json')
    .action(async (flags: AcceptFlags) => {
      await withDatabase(flags, async (domain) => {
        printMember(await acceptInvitation(domain, flags.invitation, flags.name === undefined ? {} : { name: flags.name }), flags.json);
      });
    });
}
