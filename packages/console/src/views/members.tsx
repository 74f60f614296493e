import { TableHead } from '../table-head.js';
import type { operations } from '@orgplane/client';
import { useState } from 'preact/hooks';
import { Confirm, Dialog } from '../confirm.js';
import { useConsole } from '../context.js';
import { ErrorMessage } from '../errors.js';
import { isAdmin, RolePicker, roleNames } from '../role-picker.js';
import { useAction, useApi } from '../use-api.js';

type Member = operations['memberGetList']['responses'][200]['content']['application/json']['result'][number];

const MANAGE = 'control-plane:organization:manage';
const LAST_ADMIN_RULE = "The organization's last Admin member cannot be removed or lose Admin: give another member the Admin role first.";

export function MembersView() {
  const { client, org, access } = useConsole();
  const members = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/members', org)).data!.result);
  const action = useAction();
  const [editing, setEditing] = useState<Member | undefined>();
  const [removing, setRemoving] = useState<Member | undefined>();
  const canManage = access.can(MANAGE);
  if (members.failure) return <ErrorMessage failure={members.failure} />;
  if (!members.data) return <p class="loading">Loading…</p>;
  // The API counts members holding Admin under the organization's lock; this only points the one out.
  const admins = members.data.filter((member) => member.assignedRoles.some(isAdmin));
  const lastAdmin = admins.length === 1 ? admins[0] : undefined;
  return (
    <section>
      <h1>Members</h1>
      <p class="hint">People join through invitations, accepted by the operator. {LAST_ADMIN_RULE}</p>
      {action.failure && <ErrorMessage failure={action.failure} />}
      <table>
        <TableHead columns={['Name', 'Email', 'Roles', 'Joined']} />
        <tbody>
          {members.data.map((member) => (
            <tr key={member.userId} data-user-id={member.userId}>
              <td>
                {member.name}
                {member === lastAdmin && (
                  <>
                    <span class="badge last-admin">last Admin</span>
                    <p class="hint">{LAST_ADMIN_RULE}</p>
                  </>
                )}
              </td>
              <td>{member.email}</td>
              <td>{roleNames(member.assignedRoles)}</td>
              <td>{member.joinedAt}</td>
              <td class="row-actions">
                <button type="button" disabled={!canManage} title={access.reason(MANAGE)} onClick={() => setEditing(member)}>
                  Change roles<span class="visually-hidden"> of {member.email}</span>
                </button>
                <button type="button" class="danger" disabled={!canManage || action.running} title={access.reason(MANAGE)} onClick={() => setRemoving(member)}>
                  Remove<span class="visually-hidden"> {member.email}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {members.data.length === 0 && <p class="empty">No members.</p>}
      {editing && (
        <RolesDialog
          member={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            members.reload();
          }}
        />
      )}
      {removing && (
        <Confirm
          title="Remove the member?"
          message={`${removing.name} (${removing.email}) will lose every role in this organization and leave it. This cannot be undone: they would need a new invitation.`}
          confirmLabel="Remove member"
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            const member = removing;
            setRemoving(undefined);
            action
              .run(() => client.DELETE('/v1/organizations/{organizationId}/members/{userId}', { params: { path: { ...org.params.path, userId: member.userId } } }))
              .then((ok) => ok && members.reload());
          }}
        />
      )}
    </section>
  );
}

/** Replaces the member's roles (PATCH assignedRoleIds); a refusal (the last-Admin rule, escalation) stays in the dialog. */
function RolesDialog({ member, onClose, onSaved }: { member: Member; onClose(): void; onSaved(): void }) {
  const { client, org } = useConsole();
  const roles = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/roles', org)).data!.result);
  const [roleIds, setRoleIds] = useState(member.assignedRoles.map((role) => role.roleId));
  const save = useAction();
  const title = `Change the roles of ${member.email}`;
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        class="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save
            .run(() => client.PATCH('/v1/organizations/{organizationId}/members/{userId}', { params: { path: { ...org.params.path, userId: member.userId } }, body: { assignedRoleIds: roleIds } }))
            .then((ok) => ok && onSaved());
        }}
      >
        {roles.failure && <ErrorMessage failure={roles.failure} />}
        {roles.data ? <RolePicker legend="Roles" roles={roles.data} selected={roleIds} onChange={setRoleIds} /> : !roles.failure && <p class="loading">Loading roles…</p>}
        {roleIds.length === 0 && <p class="hint">No roles: the member stays in the organization with no access.</p>}
        {save.failure && <ErrorMessage failure={save.failure} />}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={save.running || !roles.data}>
            Save roles
          </button>
        </div>
      </form>
    </Dialog>
  );
}
