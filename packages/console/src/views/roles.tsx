import { TableHead } from '../table-head.js';
import type { operations } from '@orgplane/client';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { Confirm, Dialog } from '../confirm.js';
import { useConsole } from '../context.js';
import { ErrorMessage } from '../errors.js';
import { PERMISSION_GROUPS } from '../permissions.js';
import { useAction, useApi } from '../use-api.js';

type Role = operations['organizationRolesGetList']['responses'][200]['content']['application/json']['result'][number];
type RoleCreate = operations['organizationRolePost']['requestBody']['content']['application/json'];
type RolePatch = operations['organizationRolePatch']['requestBody']['content']['application/json'];
type PolicyInput = RoleCreate['policies'][number];
/** A policy as the editor holds it: resources as typed, tags carried through untouched. */
type PolicyDraft = { allowDeny: PolicyInput['allowDeny']; permissions: string[]; resources: string; tags?: PolicyInput['tags'] };

const MANAGE = 'control-plane:organization:manage';

/** Who may hold a role, by name: the organization's keys and members (`apiKey/<id>`, `user/<userId>`). */
interface Actors {
  keys?: { actor: string; label: string }[];
  members?: { actor: string; label: string }[];
  label(actor: string): string;
}

/**
 * The keys and the members, each read on its own: a key that may not list keys (view-api-keys)
 * still sees the members by name, and the keys by their IDs.
 */
function useActors() {
  const { client, org } = useConsole();
  return useApi(async (): Promise<Actors> => {
    const [keys, members] = await Promise.allSettled([client.GET('/v1/organizations/{organizationId}/keys', org), client.GET('/v1/organizations/{organizationId}/members', org)]);
    const keyList = keys.status === 'fulfilled' ? keys.value.data!.result.map((k) => ({ actor: `apiKey/${k.id}`, label: `${k.name} (…${k.keySuffix})` })) : undefined;
    const memberList = members.status === 'fulfilled' ? members.value.data!.result.map((m) => ({ actor: `user/${m.userId}`, label: `${m.name} <${m.email}>` })) : undefined;
    const names = new Map([...(keyList ?? []).map((k) => [k.actor, `API key ${k.label}`] as const), ...(memberList ?? []).map((m) => [m.actor, `Member ${m.label}`] as const)]);
    return { ...(keyList ? { keys: keyList } : {}), ...(memberList ? { members: memberList } : {}), label: (actor) => names.get(actor) ?? actor };
  });
}

export function RolesView() {
  const { client, org, access } = useConsole();
  const roles = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/roles', org)).data!.result);
  const actors = useActors();
  const action = useAction();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Role | undefined>();
  const [deleting, setDeleting] = useState<Role | undefined>();
  const canManage = access.can(MANAGE);
  const rolePath = (role: Role) => ({ params: { path: { ...org.params.path, roleId: role.id } } });
  const reload = () => {
    roles.reload();
    actors.reload();
  };
  return (
    <section>
      <h1>Roles</h1>
      <p class="hint">System roles are the same in every organization: only who holds them can change. Custom roles are this organization's own.</p>
      {action.failure && <ErrorMessage failure={action.failure} />}
      <button type="button" class="primary" disabled={!canManage} title={access.reason(MANAGE)} onClick={() => setCreating(true)}>
        Create custom role
      </button>
      {roles.failure && <ErrorMessage failure={roles.failure} />}
      {!roles.data && !roles.failure && <p class="loading">Loading…</p>}
      {roles.data && (
        <table class="roles">
          <TableHead columns={['Name', 'Type', 'Policies', 'Actors']} />
          <tbody>
            {roles.data.map((role) => (
              <tr key={role.id}>
                <th scope="row">{role.name}</th>
                <td>{role.type}</td>
                <td>
                  <Policies role={role} />
                </td>
                <td>
                  <Holders actors={role.actors} label={(actor) => actors.data?.label(actor) ?? actor} />
                </td>
                <td class="row-actions">
                  <button type="button" disabled={!canManage} title={access.reason(MANAGE)} onClick={() => setEditing(role)}>
                    {role.type === 'system' ? 'Edit actors' : 'Edit'}
                    <span class="visually-hidden"> {role.name}</span>
                  </button>
                  {role.type === 'custom' && (
                    <button type="button" class="danger" disabled={!canManage || action.running} title={access.reason(MANAGE)} onClick={() => setDeleting(role)}>
                      Delete<span class="visually-hidden"> {role.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <RoleDialog
          title="Create custom role"
          actors={actors.data}
          onClose={() => setCreating(false)}
          onSave={async (body) => {
            await client.POST('/v1/organizations/{organizationId}/roles', { ...org, body: body as RoleCreate });
            setCreating(false);
            reload();
          }}
        />
      )}
      {editing && (
        <RoleDialog
          title={editing.type === 'system' ? `Actors of role ${editing.name}` : `Edit role ${editing.name}`}
          initial={editing}
          actors={actors.data}
          onClose={() => setEditing(undefined)}
          onSave={async (body) => {
            await client.PATCH('/v1/organizations/{organizationId}/roles/{roleId}', { ...rolePath(editing), body });
            setEditing(undefined);
            reload();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title="Delete the role?"
          message={`The role "${deleting.name}" and its assignment to ${deleting.actors.length} ${deleting.actors.length === 1 ? 'actor' : 'actors'} will be deleted. This cannot be undone.`}
          confirmLabel="Delete role"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            const role = deleting;
            setDeleting(undefined);
            action.run(() => client.DELETE('/v1/organizations/{organizationId}/roles/{roleId}', rolePath(role))).then((ok) => ok && reload());
          }}
        />
      )}
    </section>
  );
}

/** A role's policies: effect, permissions and resources (a long permission list folds away). */
function Policies({ role }: { role: Role }) {
  if (role.policies.length === 0) return <span class="empty">no permissions</span>;
  return (
    <ul class="plain policies">
      {role.policies.map((policy) => (
        <li key={policy.id}>
          <span class={`effect ${policy.allowDeny === 'DENY' ? 'deny' : 'allow'}`}>{policy.allowDeny}</span>{' '}
          {policy.permissions.length > 4 ? (
            <details>
              <summary>{policy.permissions.length} permissions</summary>
              <PermissionList permissions={policy.permissions} />
            </details>
          ) : (
            <PermissionList permissions={policy.permissions} />
          )}{' '}
          on <span class="resources">{policy.resources.join(', ')}</span>
        </li>
      ))}
    </ul>
  );
}

/** A role's actors by name; a long list (a role can have over a thousand) folds into a count. */
function Holders({ actors, label }: { actors: string[]; label(actor: string): string }) {
  if (actors.length === 0) return <span class="empty">nobody</span>;
  const list = (
    <ul class="plain">
      {actors.map((actor) => (
        <li key={actor}>{label(actor)}</li>
      ))}
    </ul>
  );
  return actors.length > 8 ? (
    <details>
      <summary>{actors.length} actors</summary>
      {list}
    </details>
  ) : (
    list
  );
}

function PermissionList({ permissions }: { permissions: string[] }) {
  return (
    <span class="permissions">
      {permissions.map((permission, i) => (
        <Fragment key={permission}>
          {i > 0 && ', '}
          <code>{permission}</code>
        </Fragment>
      ))}
    </span>
  );
}

const draftOf = (policy: Role['policies'][number]): PolicyDraft => ({ allowDeny: policy.allowDeny, permissions: [...policy.permissions], resources: policy.resources.join(', '), ...(policy.tags ? { tags: policy.tags } : {}) });

const inputOf = (draft: PolicyDraft): PolicyInput => ({
  allowDeny: draft.allowDeny,
  permissions: draft.permissions,
  resources: draft.resources.split(/[\s,]+/).filter(Boolean),
  ...(draft.tags ? { tags: draft.tags } : {}),
});

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Create or edit a custom role (name, policies, actors), or a system role's actors alone (its name
 * and policies are fixed). An edit sends only what changed: each of policies and actors replaces
 * the whole list, and the server checks the escalation rules only for what is sent.
 */
function RoleDialog({ title, initial, actors, onSave, onClose }: { title: string; initial?: Role; actors: Actors | undefined; onSave(body: RolePatch): Promise<void>; onClose(): void }) {
  const system = initial?.type === 'system';
  const [name, setName] = useState(initial?.name ?? '');
  const [policies, setPolicies] = useState<PolicyDraft[]>(initial ? initial.policies.map(draftOf) : [{ allowDeny: 'ALLOW', permissions: [], resources: '*' }]);
  const [chosen, setChosen] = useState<string[]>(initial?.actors ?? []);
  const save = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    const inputs = policies.map(inputOf);
    const body: RolePatch = {};
    if (!initial) Object.assign(body, { name, policies: inputs, actors: chosen });
    else {
      if (!system && name !== initial.name) body.name = name;
      if (!system && JSON.stringify(inputs) !== JSON.stringify(initial.policies.map((p) => inputOf(draftOf(p))))) body.policies = inputs;
      if (!sameSet(chosen, initial.actors)) body.actors = chosen;
    }
    void save.run(() => onSave(body));
  };
  const setPolicy = (i: number, change: Partial<PolicyDraft>) => setPolicies(policies.map((p, j) => (j === i ? { ...p, ...change } : p)));
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={submit} class="dialog-form">
        {!system && (
          <>
            <label>
              Name
              <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            {policies.map((policy, i) => (
              <fieldset key={i} class="policy">
                <legend>Policy {i + 1}</legend>
                <label>
                  Effect
                  <select value={policy.allowDeny} onChange={(e) => setPolicy(i, { allowDeny: e.currentTarget.value as PolicyDraft['allowDeny'] })}>
                    <option value="ALLOW">ALLOW</option>
                    <option value="DENY">DENY</option>
                  </select>
                </label>
                <label>
                  Resources (comma-separated)
                  <input required value={policy.resources} onInput={(e) => setPolicy(i, { resources: e.currentTarget.value })} />
                </label>
                {PERMISSION_GROUPS.map((group) => (
                  <fieldset key={group.name} class="permission-group">
                    <legend>{group.name} permissions</legend>
                    {group.permissions.map((permission) => (
                      <label class="switch" key={permission}>
                        <input
                          type="checkbox"
                          checked={policy.permissions.includes(permission)}
                          onChange={(e) => setPolicy(i, { permissions: e.currentTarget.checked ? [...policy.permissions, permission] : policy.permissions.filter((p) => p !== permission) })}
                        />
                        {permission}
                      </label>
                    ))}
                  </fieldset>
                ))}
                <button type="button" onClick={() => setPolicies(policies.filter((_, j) => j !== i))}>
                  Remove policy {i + 1}
                </button>
              </fieldset>
            ))}
            <button type="button" onClick={() => setPolicies([...policies, { allowDeny: 'ALLOW', permissions: [], resources: '*' }])}>
              Add policy
            </button>
          </>
        )}
        <ActorPicker actors={actors} chosen={chosen} onChange={setChosen} />
        {save.failure && <ErrorMessage failure={save.failure} />}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={save.running}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Keys and members by name; an actor the console cannot name (its list was refused) stays as its ID. */
function ActorPicker({ actors, chosen, onChange }: { actors: Actors | undefined; chosen: string[]; onChange(next: string[]): void }) {
  const toggle = (actor: string, on: boolean) => onChange(on ? [...chosen, actor] : chosen.filter((a) => a !== actor));
  const listed = new Set([...(actors?.keys ?? []), ...(actors?.members ?? [])].map((a) => a.actor));
  const others = chosen.filter((actor) => !listed.has(actor));
  const box = (entry: { actor: string; label: string }) => (
    <label class="switch" key={entry.actor}>
      <input type="checkbox" checked={chosen.includes(entry.actor)} onChange={(e) => toggle(entry.actor, e.currentTarget.checked)} />
      {entry.label}
    </label>
  );
  if (!actors) {
    return (
      <fieldset>
        <legend>Actors</legend>
        <p class="loading">Loading the keys and members…</p>
      </fieldset>
    );
  }
  return (
    <fieldset>
      <legend>Actors</legend>
      <fieldset>
        <legend>API keys</legend>
        {actors.keys ? actors.keys.map(box) : <p class="hint">This key may not list API keys: the role's keys are under "Other actors", by ID.</p>}
      </fieldset>
      <fieldset>
        <legend>Members</legend>
        {actors.members ? actors.members.length ? actors.members.map(box) : <p class="empty">No members.</p> : <p class="hint">The members could not be listed: the role's members are under "Other actors", by ID.</p>}
      </fieldset>
      {others.length > 0 && (
        <fieldset>
          <legend>Other actors</legend>
          {others.map((actor) => box({ actor, label: actor }))}
        </fieldset>
      )}
    </fieldset>
  );
}
