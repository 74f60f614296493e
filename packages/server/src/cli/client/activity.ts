import type { Command } from 'commander';
import type { paths } from '@orgplane/client';
import { clientAction, withConnectionOptions } from './connection.js';
import { formatTime, print } from '../output.js';

type Activity = paths['/v1/organizations/{organizationId}/activities/{activityId}']['get']['responses'][200]['content']['application/json']['result'];

function printActivities(json: boolean | undefined, value: unknown, activities: Activity[]): void {
  print(
    json,
    value,
    ['ID', 'TIME', 'TYPE', 'ACTOR', 'DETAILS', 'TARGET KEY'],
    activities.map((a) => [a.id, formatTime(a.createdAt), a.keyUpdateType ? `${a.type} (${a.keyUpdateType})` : a.type, `${a.actorType}${a.actorIpAddress ? ` ${a.actorIpAddress}` : ''}`, a.actorDetails ?? '-', a.targetKeyId ?? '-']),
  );
}

export function registerActivityCommands(program: Command): void {
  const activity = program.command('activity').description('the organization activity log, over the HTTP API');

  withConnectionOptions(activity.command('list').description('list activities, newest first'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .option('--from-date <date>', 'from this RFC 3339 date-time or YYYY-MM-DD (inclusive)')
    .option('--to-date <date>', 'up to this RFC 3339 date-time or YYYY-MM-DD (inclusive)')
    .addHelpText('after', '\nExamples:\n  orgplane activity list --from-date 2026-01-01 --to-date 2026-01-31\n  orgplane activity list --json | jq length')
    .action(
      clientAction(async (session) => {
        const f = session.flags as { fromDate?: string; toDate?: string };
        const organizationId = await session.organizationId();
        const query = { ...(f.fromDate ? { from_date: f.fromDate } : {}), ...(f.toDate ? { to_date: f.toDate } : {}) };
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/activities', { params: { path: { organizationId }, query } });
        printActivities(session.flags.json, data!.result, data!.result);
      }),
    );

  withConnectionOptions(activity.command('get').description('show one activity').argument('<id>', 'activity ID'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane activity get 01a2235e-8861-71fa-90a1-f50401f3b54e')
    .action(
      clientAction(async (session, activityId: string) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/activities/{activityId}', { params: { path: { organizationId, activityId } } });
        printActivities(session.flags.json, data!.result, [data!.result]);
      }),
    );
}
