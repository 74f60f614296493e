import { TableHead } from '../table-head.js';
import type { operations } from '@orgplane/client';
import { RegionPicker } from '../region-picker.js';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ACCOUNT_RULES, accountIdProblem, DEFAULT_VPC_CIDR, DEFAULT_ZONE_SUFFIXES, vpcCidrProblem, ZONE_SUFFIXES } from '../byoc-rules.js';
import { Confirm, Dialog } from '../confirm.js';
import { useConsole } from '../context.js';
import { ErrorMessage, failureOf, type Failure } from '../errors.js';
import { REGIONS, type CloudProvider, type Region } from '../regions.js';
import { useAction } from '../use-api.js';

type Infrastructure = operations['organizationGet']['responses'][200]['content']['application/json']['result']['byocConfig'][number];
type State = Infrastructure['state'];

const MANAGE = 'control-plane:organization:manage';
/**
 * How often the list is read again while an infrastructure is provisioning: the API gives no ready time,
 * it only answers the state on the server's clock. A few seconds keeps well inside the default rate limit
 * (10 requests per 10 s per key).
 */
export const POLL_SECONDS = 5;

const STATE_LABELS: Record<State, string> = { 'infra-provisioning': 'Provisioning', 'infra-ready': 'Ready', 'infra-terminated': 'Terminated' };

/**
 * The organization's infrastructures (they are its byocConfig), read again every few seconds while one is
 * provisioning. A failed read keeps the last list on screen, with the failure above it.
 */
function useInfrastructures(): { list: Infrastructure[] | undefined; failure: Failure | undefined; provisioning: number; reload(): void } {
  const { client, org } = useConsole();
  const [state, setState] = useState<{ list?: Infrastructure[]; failure?: Failure }>({});
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  useEffect(() => {
    let current = true;
    client.GET('/v1/organizations/{organizationId}', org).then(
      ({ data }) => current && setState({ list: data!.result.byocConfig }),
      (err: unknown) => current && setState((s) => ({ ...s, failure: failureOf(err) })),
    );
    return () => {
      current = false;
    };
  }, [round]);
  const provisioning = state.list?.filter((b) => b.state === 'infra-provisioning').length ?? 0;
  // The next read is scheduled after each answer, so reads never overlap; a 429 waits as long as the API asks.
  useEffect(() => {
    if (provisioning === 0) return;
    const wait = Math.max(POLL_SECONDS, state.failure?.retryAfterSeconds ?? 0);
    const timer = setTimeout(reload, wait * 1000);
    return () => clearTimeout(timer);
  }, [state]);
  return { list: state.list, failure: state.failure, provisioning, reload };
}

export function ByocView() {
  const { client, org, access } = useConsole();
  const infrastructures = useInfrastructures();
  const action = useAction();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Infrastructure | undefined>();
  const [deleting, setDeleting] = useState<Infrastructure | undefined>();
  const canManage = access.can(MANAGE);
  const path = (b: Infrastructure) => ({ params: { path: { ...org.params.path, byocInfrastructureId: b.id } } });
  const { list } = infrastructures;
  if (!list) return infrastructures.failure ? <ErrorMessage failure={infrastructures.failure} /> : <p class="loading">Loading…</p>;
  return (
    <section>
      <h1>BYOC</h1>
      <p class="hint">
        Bring-your-own-cloud infrastructures: orgplane provisions nothing; each is a record that becomes ready once the provisioning time has passed on the server's clock. A deleted one stays listed as
        terminated for five minutes.
      </p>
      {infrastructures.failure && <ErrorMessage failure={infrastructures.failure} />}
      {action.failure && <ErrorMessage failure={action.failure} />}
      <button type="button" class="primary" disabled={!canManage} title={access.reason(MANAGE)} onClick={() => setCreating(true)}>
        Create infrastructure
      </button>
      <p role="status" class="hint">
        {infrastructures.provisioning > 0 ? `${infrastructures.provisioning} provisioning: the list is read again every ${POLL_SECONDS} s until it is ready.` : ''}
      </p>
      <table>
        <TableHead columns={['Name', 'State', 'Provider', 'Region', 'Account', 'ID']} />
        <tbody>
          {list.map((b) => {
            const terminated = b.state === 'infra-terminated';
            const why = terminated ? 'Terminated: it stays listed for five minutes after deletion, then is gone.' : access.reason(MANAGE);
            return (
              <tr key={b.id} data-byoc-id={b.id}>
                <td>{b.displayName}</td>
                <td>
                  <span class={`badge state ${b.state}`} data-state={b.state}>
                    {STATE_LABELS[b.state]}
                  </span>
                </td>
                <td>{b.cloudProvider}</td>
                <td class="nowrap">{b.regionId}</td>
                <td>
                  <code>{b.accountName}</code>
                </td>
                <td>
                  <code>{b.id}</code>
                </td>
                <td class="row-actions">
                  <button type="button" disabled={!canManage || terminated} title={why} onClick={() => setRenaming(b)}>
                    Rename<span class="visually-hidden"> {b.displayName}</span>
                  </button>
                  <button type="button" class="danger" disabled={!canManage || terminated || action.running} title={why} onClick={() => setDeleting(b)}>
                    Delete<span class="visually-hidden"> {b.displayName}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {list.length === 0 && <p class="empty">No BYOC infrastructures.</p>}
      {creating && (
        <CreateDialog
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            infrastructures.reload();
          }}
        />
      )}
      {renaming && (
        <RenameDialog
          infrastructure={renaming}
          onClose={() => setRenaming(undefined)}
          onSave={async (displayName) => {
            await client.PATCH('/v1/organizations/{organizationId}/byocInfrastructure/{byocInfrastructureId}', { ...path(renaming), body: { displayName } });
            setRenaming(undefined);
            infrastructures.reload();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title="Delete the BYOC infrastructure?"
          message={`"${deleting.displayName}" (${deleting.regionId}, account ${deleting.accountName}) will be terminated. This cannot be undone.`}
          confirmLabel="Delete infrastructure"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            const b = deleting;
            setDeleting(undefined);
            action.run(() => client.DELETE('/v1/organizations/{organizationId}/byocInfrastructure/{byocInfrastructureId}', path(b))).then((ok) => ok && infrastructures.reload());
          }}
        />
      )}
    </section>
  );
}

/** Create: the region (its provider decides the account ID's form), the account, zones, VPC range and an optional name. */
function CreateDialog({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const { client, org } = useConsole();
  const [provider, setProvider] = useState<CloudProvider>('aws');
  const [region, setRegion] = useState<Region>(REGIONS.aws[0]);
  const [accountId, setAccountId] = useState('');
  const [zones, setZones] = useState<string[]>(DEFAULT_ZONE_SUFFIXES);
  const [cidr, setCidr] = useState(DEFAULT_VPC_CIDR);
  const [displayName, setDisplayName] = useState('');
  const save = useAction();
  const account = accountId.trim();
  const accountProblem = account ? accountIdProblem(provider, account) : undefined;
  const cidrProblem = vpcCidrProblem(cidr.trim());
  const zonesProblem = zones.length === 0 ? 'pick at least one availability zone' : undefined;
  const invalid = !account || accountProblem !== undefined || cidrProblem !== undefined || zonesProblem !== undefined;
  return (
    <Dialog title="Create a BYOC infrastructure" onClose={onClose}>
      <form
        class="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (invalid) return;
          const body = {
            regionId: region,
            accountId: account,
            availabilityZoneSuffixes: ZONE_SUFFIXES.filter((z) => zones.includes(z)),
            vpcCidrRange: cidr.trim(),
            ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
          };
          void save.run(() => client.POST('/v1/organizations/{organizationId}/byocInfrastructure', { ...org, body })).then((ok) => ok && onCreated());
        }}
      >
        <RegionPicker
          provider={provider}
          region={region}
          onChange={(p, r) => {
            setProvider(p);
            setRegion(r);
          }}
        />
        <label>
          Account ID
          <input required value={accountId} aria-invalid={accountProblem !== undefined || undefined} aria-describedby="byoc-account-rule" onInput={(e) => setAccountId(e.currentTarget.value)} />
        </label>
        <p id="byoc-account-rule" class="hint">
          For {provider}: {ACCOUNT_RULES[provider].rule}, e.g. <code>{ACCOUNT_RULES[provider].example}</code>.
        </p>
        {accountProblem && (
          <p role="alert" class="error">
            Account ID: {accountProblem}.
          </p>
        )}
        <fieldset>
          <legend>Availability zones</legend>
          {ZONE_SUFFIXES.map((z) => (
            <label class="switch" key={z}>
              <input type="checkbox" checked={zones.includes(z)} onChange={(e) => setZones(e.currentTarget.checked ? [...zones, z] : zones.filter((x) => x !== z))} />
              Zone {z}
            </label>
          ))}
        </fieldset>
        {zonesProblem && (
          <p role="alert" class="error">
            Availability zones: {zonesProblem}.
          </p>
        )}
        <label>
          VPC CIDR range
          <input required value={cidr} aria-invalid={cidrProblem !== undefined || undefined} onInput={(e) => setCidr(e.currentTarget.value)} />
        </label>
        {cidrProblem && (
          <p role="alert" class="error">
            VPC CIDR range: {cidrProblem}.
          </p>
        )}
        <label>
          Display name (optional)
          <input value={displayName} maxLength={255} placeholder={`BYOC ${region} ${account || '<account>'}`} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
        {save.failure && <ErrorMessage failure={save.failure} />}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={save.running || invalid}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RenameDialog({ infrastructure, onSave, onClose }: { infrastructure: Infrastructure; onSave(displayName: string): Promise<void>; onClose(): void }) {
  const [displayName, setDisplayName] = useState(infrastructure.displayName);
  const save = useAction();
  return (
    <Dialog title={`Rename ${infrastructure.displayName}`} onClose={onClose}>
      <form
        class="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save.run(() => onSave(displayName.trim()));
        }}
      >
        <label>
          Display name
          <input required maxLength={255} value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
        {save.failure && <ErrorMessage failure={save.failure} />}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={save.running || !displayName.trim()}>
            Save name
          </button>
        </div>
      </form>
    </Dialog>
  );
}
