import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { DatabaseUrlError } from '../db/database.js';
import { registerAudit } from './audit.js';
import { registerActivityCommands } from './client/activity.js';
import { registerByocCommands } from './client/byoc.js';
import { registerInvitationCommands } from './client/invitation.js';
import { registerKeyCommands } from './client/key.js';
import { registerMemberCommands } from './client/member.js';
import { registerOrgCommands } from './client/org.js';
import { registerPrometheusCommands } from './client/prometheus.js';
import { registerQuotaCommands } from './client/quota.js';
import { registerRoleCommands } from './client/role.js';
import { registerUsageCommands } from './client/usage.js';
import { registerBootstrap } from './bootstrap.js';
import { registerInvitations } from './invitations.js';
import { registerKeys } from './keys.js';
import { registerMembers } from './members.js';
import { registerMigrate } from './migrate.js';
import { registerServe } from './serve.js';
import { registerUsage } from './usage.js';
import { registerServices } from './services.js';
import { registerQuotas } from './quotas.js';
import { orgplaneVersion } from '../version.js';

const program = new Command()
  .name('orgplane')
  .description('A self-hostable ClickHouse Cloud Organization API server')
  .version(orgplaneVersion(), '-V, --version', "print orgplane's version")
  // The program's options only before a command: `services add --version V` is the service's version.
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride();

registerServe(program);
registerBootstrap(program);
registerMigrate(program);
registerKeys(program);
registerMembers(program);
registerInvitations(program);
registerServices(program);
registerQuotas(program);
registerAudit(program);
registerOrgCommands(program);
registerActivityCommands(program);
registerKeyCommands(program);
registerRoleCommands(program);
registerMemberCommands(program);
registerInvitationCommands(program);
registerUsageCommands(registerUsage(program));
registerQuotaCommands(program);
registerPrometheusCommands(program);
registerByocCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; usage errors exit 2 (commander already printed the message).
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  if (err instanceof ConfigError || err instanceof DatabaseUrlError) {
    process.stderr.write(`orgplane: ${err.message}\n`);
    process.exit(2);
  }
  // Start-up failures (unreachable database, failed migration) are one clear line, not a stack.
  process.stderr.write(`orgplane: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
