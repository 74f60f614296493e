import { TableHead } from '../table-head.js';
import type { operations } from '@orgplane/client';
import { useState } from 'preact/hooks';
import { Confirm, Dialog } from '../confirm.js';
import { useConsole } from '../context.js';
import { ErrorMessage } from '../errors.js';
import { isValidIpSource } from '../ip-source.js';
import { useAction, useApi } from '../use-api.js';

type Key = operations['openapiKeyGetList']['responses'][200]['content']['application/json']['result'][number];
type KeyBody = operations['openapiKeyUpdate']['requestBody']['content']['application/json'];
type IpEntry = { source: string; description?: string };

const CREATE = 'control-plane:organization:create-api-keys';
const UPDATE = 'control-plane:organization:update-api-keys';
const DELETE = 'control-plane:organization:delete-api-keys';

export function ApiKeysView() {
  const { client, org, access } = useConsole();
  const keys = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/keys', org)).data!.result);
  const action = useAction();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Key | undefined>();
  const [deleting, setDeleting] = useState<Key | undefined>();
  const [created, setCreated] = useState<{ keyId: string; keySecret: string } | undefined>();
  const update = async (key: Key, body: KeyBody) => {
    if (await action.run(() => client.PATCH('/v1/organizations/{organizationId}/keys/{keyId}', { params: { path: { ...org.params.path, keyId: key.id } }, body }))) keys.reload();
  };
  return (
    <section>
      <h1>API keys</h1>
      {action.failure && <ErrorMessage failure={action.failure} />}
      <button type="button" class="primary" disabled={!access.can(CREATE)} title={access.reason(CREATE)} onClick={() => setCreating(true)}>
        Create API key
      </button>
      {/* A key that may not list keys still sees what it could do (nothing): the API's refusal stands in for the table. */}
      {keys.failure && <ErrorMessage failure={keys.failure} />}
      {!keys.data && !keys.failure && <p class="loading">Loading…</p>}
      {keys.data && (
        <table>
          <TableHead columns={['Name', 'Key ID', 'Roles', 'State', 'Created', 'Expires', 'Last used', 'IP allow list']} />
          <tbody>
            {keys.data.map((key) => {
              const inUse = key.id === access.keyUuid;
              return (
                <tr key={key.id}>
                  <td>
                    {key.name}
                    {inUse && <span class="badge">this key</span>}
                  </td>
                  <td>
                    <code>…{key.keySuffix}</code>
                  </td>
                  <td>{key.assignedRoles.map((role) => role.roleName).join(', ') || '—'}</td>
                  <td>{key.state}</td>
                  <td>
                    <Instant value={key.createdAt} />
                  </td>
                  <td>{key.expireAt ? <Instant value={key.expireAt} /> : 'never'}</td>
                  <td>{key.usedAt ? <Instant value={key.usedAt} /> : 'never'}</td>
                  <td>{key.ipAccessList.length ? key.ipAccessList.map((entry) => entry.source).join(', ') : 'any address'}</td>
                  <td class="row-actions">
                    <button type="button" disabled={!access.can(UPDATE) || action.running} title={access.reason(UPDATE)} onClick={() => update(key, { state: key.state === 'enabled' ? 'disabled' : 'enabled' })}>
                      {key.state === 'enabled' ? 'Disable' : 'Enable'}
                      <span class="visually-hidden"> {key.name}</span>
                    </button>
                    <button type="button" disabled={!access.can(UPDATE)} title={access.reason(UPDATE)} onClick={() => setEditing(key)}>
                      Edit<span class="visually-hidden"> {key.name}</span>
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={!access.can(DELETE) || inUse}
                      title={inUse ? 'This is the key the console is signed in with: sign in with another key to delete it.' : access.reason(DELETE)}
                      onClick={() => setDeleting(key)}
                    >
                      Delete<span class="visually-hidden"> {key.name}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {creating && (
        <KeyDialog
          title="Create API key"
          onClose={() => setCreating(false)}
          onSave={async (body) => {
            const { data } = await client.POST('/v1/organizations/{organizationId}/keys', { ...org, body: { name: body.name!, ...body } });
            setCreating(false);
            setCreated({ keyId: data!.result.keyId!, keySecret: data!.result.keySecret! });
            keys.reload();
          }}
        />
      )}
      {editing && (
        <KeyDialog
          title={`Edit API key ${editing.name}`}
          initial={editing}
          onClose={() => setEditing(undefined)}
          onSave={async (body) => {
            await client.PATCH('/v1/organizations/{organizationId}/keys/{keyId}', { params: { path: { ...org.params.path, keyId: editing.id } }, body });
            setEditing(undefined);
            keys.reload();
          }}
        />
      )}
      {created && <CreatedKey credentials={created} onClose={() => setCreated(undefined)} />}
      {deleting && (
        <Confirm
          title="Delete the API key?"
          message={`Requests with the key "${deleting.name}" (…${deleting.keySuffix}) will be refused from now on. This cannot be undone.`}
          confirmLabel="Delete key"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            const key = deleting;
            setDeleting(undefined);
            action.run(() => client.DELETE('/v1/organizations/{organizationId}/keys/{keyId}', { params: { path: { ...org.params.path, keyId: key.id } } })).then((ok) => ok && keys.reload());
          }}
        />
      )}
    </section>
  );
}

/** Create or edit: name, roles (the organization's, system and custom), expiry, IP allow list. */
function KeyDialog({ title, initial, onSave, onClose }: { title: string; initial?: Key; onSave(body: KeyBody): Promise<void>; onClose(): void }) {
  const { client, org } = useConsole();
  const roles = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/roles', org)).data!.result);
  const [name, setName] = useState(initial?.name ?? '');
  const [roleIds, setRoleIds] = useState<string[]>(initial?.assignedRoles.map((r) => r.roleId) ?? []);
  const [expireAt, setExpireAt] = useState(initial?.expireAt ? initial.expireAt.slice(0, 16) : '');
  const [ipList, setIpList] = useState<IpEntry[]>(initial?.ipAccessList ?? []);
  const save = useAction();
  const badEntry = ipList.findIndex((entry) => !isValidIpSource(entry.source.trim()));
  const submit = (event: Event) => {
    event.preventDefault();
    if (badEntry !== -1) return;
    const body: KeyBody = {
      name,
      assignedRoleIds: roleIds,
      expireAt: expireAt ? new Date(`${expireAt}:00Z`).toISOString() : null,
      ipAccessList: ipList.map((entry) => ({ source: entry.source.trim(), ...(entry.description ? { description: entry.description } : {}) })),
    };
    void save.run(() => onSave(initial ? changes(initial, body) : body));
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={submit} class="dialog-form">
        <label>
          Name
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>Roles</legend>
          {roles.failure && <ErrorMessage failure={roles.failure} />}
          {roles.data?.map((role) => (
            <label class="switch" key={role.id}>
              <input
                type="checkbox"
                checked={roleIds.includes(role.id)}
                onChange={(e) => setRoleIds(e.currentTarget.checked ? [...roleIds, role.id] : roleIds.filter((id) => id !== role.id))}
              />
              {role.name} <span class="hint">({role.type})</span>
            </label>
          ))}
        </fieldset>
        <label>
          Expires (UTC, empty for never)
          <input type="datetime-local" value={expireAt} onInput={(e) => setExpireAt(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>IP allow list (empty: any address)</legend>
          {ipList.map((entry, i) => (
            <div class="ip-entry" key={i}>
              <label>
                Source {i + 1}
                <input
                  value={entry.source}
                  aria-invalid={badEntry === i || undefined}
                  onInput={(e) => setIpList(ipList.map((x, j) => (j === i ? { ...x, source: e.currentTarget.value } : x)))}
                />
              </label>
              <label>
                Description {i + 1}
                <input value={entry.description ?? ''} onInput={(e) => setIpList(ipList.map((x, j) => (j === i ? { ...x, description: e.currentTarget.value } : x)))} />
              </label>
              <button type="button" onClick={() => setIpList(ipList.filter((_, j) => j !== i))}>
                Remove source {i + 1}
              </button>
            </div>
          ))}
          {badEntry !== -1 && (
            <p role="alert" class="error">
              {/* The server's own words for the same entry, so the field named is the one it would name. */}
              Invalid field 'ipAccessList[{badEntry}].source': '{ipList[badEntry]!.source}' is not an IPv4/IPv6 address or CIDR
            </p>
          )}
          <button type="button" onClick={() => setIpList([...ipList, { source: '' }])}>
            Add source
          </button>
        </fieldset>
        {save.failure && <ErrorMessage failure={save.failure} />}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={save.running || badEntry !== -1}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * An edit sends only what was changed: an unchanged expiry already past (or with seconds the picker
 * cannot show) would otherwise be sent back, and refused or rounded.
 */
function changes(key: Key, body: KeyBody): KeyBody {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const out: KeyBody = {};
  if (body.name !== key.name) out.name = body.name!;
  const held = key.assignedRoles.map((r) => r.roleId);
  if (held.length !== body.assignedRoleIds!.length || !held.every((id) => body.assignedRoleIds!.includes(id))) out.assignedRoleIds = body.assignedRoleIds!;
  if ((key.expireAt ? key.expireAt.slice(0, 16) : null) !== (body.expireAt ? body.expireAt.slice(0, 16) : null)) out.expireAt = body.expireAt ?? null;
  if (!same(key.ipAccessList, body.ipAccessList)) out.ipAccessList = body.ipAccessList!;
  return out;
}

/** An instant as the API gives it (UTC), to the minute, with the exact value for machines. */
function Instant({ value }: { value: string }) {
  return <time dateTime={value}>{value.slice(0, 16).replace('T', ' ')} UTC</time>;
}

/** The new key's ID and secret, shown this once: the server keeps only their hashes. */
function CreatedKey({ credentials, onClose }: { credentials: { keyId: string; keySecret: string }; onClose(): void }) {
  const [copied, setCopied] = useState<string | undefined>();
  const copy = (what: string, value: string) => navigator.clipboard.writeText(value).then(() => setCopied(what));
  return (
    <Dialog title="API key created" onClose={onClose}>
      <p role="alert" class="warning">
        Copy the secret now: it is shown only this once and cannot be shown again.
      </p>
      <dl class="facts">
        <dt>Key ID</dt>
        <dd>
          <code data-testid="new-key-id">{credentials.keyId}</code>{' '}
          <button type="button" onClick={() => copy('Key ID', credentials.keyId)}>
            Copy key ID
          </button>
        </dd>
        <dt>Key secret</dt>
        <dd>
          <code data-testid="new-key-secret">{credentials.keySecret}</code>{' '}
          <button type="button" onClick={() => copy('Key secret', credentials.keySecret)}>
            Copy key secret
          </button>
        </dd>
      </dl>
      {copied && <p role="status">{copied} copied.</p>}
      <div class="actions">
        <button type="button" class="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
