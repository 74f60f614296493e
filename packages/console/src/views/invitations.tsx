import { TableHead } from '../table-head.js';
import type { operations } from '@orgplane/client';
import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../confirm.js';
import { useConsole } from '../context.js';
import { ErrorMessage } from '../errors.js';
import { RolePicker, roleNames, type Role } from '../role-picker.js';
import { useAction, useApi } from '../use-api.js';

type Invitation = operations['invitationGetList']['responses'][200]['content']['application/json']['result'][number];

const MANAGE = 'control-plane:organization:manage';

export function InvitationsView() {
  const { client, org, access } = useConsole();
  const invitations = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/invitations', org)).data!.result);
  const action = useAction();
  const [revoking, setRevoking] = useState<Invitation | undefined>();
  if (invitations.failure) return <ErrorMessage failure={invitations.failure} />;
  if (!invitations.data) return <p class="loading">Loading…</p>;
  return (
    <section>
      <h1>Invitations</h1>
      <p class="hint">An invitation stays open until it expires; the operator accepts it on the invited person's behalf. Expired ones stay listed until revoked or the email is invited again.</p>
      <InviteForm onInvited={invitations.reload} />
      {action.failure && <ErrorMessage failure={action.failure} />}
      <table>
        <TableHead columns={['Email', 'Roles', 'Created', 'Expires']} />
        <tbody>
          {invitations.data.map((invitation) => (
            <tr key={invitation.id} data-invitation-id={invitation.id}>
              <td>{invitation.email}</td>
              <td>{roleNames(invitation.assignedRoles)}</td>
              <td>{invitation.createdAt}</td>
              <td>{invitation.expireAt}</td>
              <td class="row-actions">
                <button type="button" class="danger" disabled={!access.can(MANAGE) || action.running} title={access.reason(MANAGE)} onClick={() => setRevoking(invitation)}>
                  Revoke<span class="visually-hidden"> the invitation of {invitation.email}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {invitations.data.length === 0 && <p class="empty">No invitations.</p>}
      {revoking && (
        <Confirm
          title="Revoke the invitation?"
          message={`${revoking.email} will no longer be able to join with this invitation. Invite them again to give them a new one.`}
          confirmLabel="Revoke invitation"
          onCancel={() => setRevoking(undefined)}
          onConfirm={() => {
            const invitation = revoking;
            setRevoking(undefined);
            action
              .run(() => client.DELETE('/v1/organizations/{organizationId}/invitations/{invitationId}', { params: { path: { ...org.params.path, invitationId: invitation.id } } }))
              .then((ok) => ok && invitations.reload());
          }}
        />
      )}
    </section>
  );
}

/**
 * Invite by email with roles. The Member system role is picked to begin with, as the API gives it to an
 * invitation that names none; the roles are always sent, so what is ticked is what the person gets.
 */
function InviteForm({ onInvited }: { onInvited(): void }) {
  const { client, org, access } = useConsole();
  const canManage = access.can(MANAGE);
  const roles = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/roles', org)).data!.result);
  const [email, setEmail] = useState('');
  const [roleIds, setRoleIds] = useState<string[] | undefined>();
  const invite = useAction();
  useEffect(() => {
    if (roles.data && roleIds === undefined) setRoleIds(defaultRoles(roles.data));
  }, [roles.data]);
  return (
    <form
      class="invite"
      aria-label="Invite by email"
      onSubmit={(event) => {
        event.preventDefault();
        void invite
          .run(() => client.POST('/v1/organizations/{organizationId}/invitations', { ...org, body: { email: email.trim(), assignedRoleIds: roleIds ?? [] } }))
          .then((ok) => {
            if (!ok) return;
            setEmail('');
            setRoleIds(defaultRoles(roles.data ?? []));
            onInvited();
          });
      }}
    >
      <h2>Invite</h2>
      <label>
        Email
        <input type="email" required maxLength={254} value={email} disabled={!canManage} title={access.reason(MANAGE)} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      {roles.failure && <ErrorMessage failure={roles.failure} />}
      {roles.data && roleIds && <RolePicker legend="Roles to give" roles={roles.data} selected={roleIds} disabled={!canManage} title={access.reason(MANAGE)} onChange={setRoleIds} />}
      {roleIds?.length === 0 && <p class="hint">No roles: the person joins with no access.</p>}
      {invite.failure && <ErrorMessage failure={invite.failure} />}
      <div>
        <button type="submit" class="primary" disabled={!canManage || invite.running || !roleIds} title={access.reason(MANAGE)}>
          Invite
        </button>
      </div>
    </form>
  );
}

function defaultRoles(roles: Role[]): string[] {
  return roles.filter((role) => role.type === 'system' && role.name === 'Member').map((role) => role.id);
}
