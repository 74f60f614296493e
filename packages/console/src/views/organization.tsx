import { TableHead } from '../table-head.js';
import { useState } from 'preact/hooks';
import { Confirm } from '../confirm.js';
import { useConsole } from '../context.js';
import { ErrorMessage } from '../errors.js';
import { RegionPicker } from '../region-picker.js';
import { REGIONS, type CloudProvider, type Region } from '../regions.js';
import { useAction, useApi } from '../use-api.js';
import type { operations } from '@orgplane/client';

type OrganizationPatch = operations['organizationUpdate']['requestBody']['content']['application/json'];

const MANAGE = 'control-plane:organization:manage';

export function OrganizationView() {
  const { client, org, access } = useConsole();
  const organization = useApi(async () => (await client.GET('/v1/organizations/{organizationId}', org)).data!.result);
  const action = useAction();
  const [name, setName] = useState<string | undefined>();
  const [removing, setRemoving] = useState<string | undefined>();
  const canManage = access.can(MANAGE);
  const patch = async (body: OrganizationPatch) => {
    if (await action.run(() => client.PATCH('/v1/organizations/{organizationId}', { ...org, body }))) organization.reload();
  };
  if (organization.failure) return <ErrorMessage failure={organization.failure} />;
  const data = organization.data;
  if (!data) return <p class="loading">Loading…</p>;
  return (
    <section>
      <h1>Organization</h1>
      {action.failure && <ErrorMessage failure={action.failure} />}
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          if (name !== undefined) patch({ name }).then(() => setName(undefined));
        }}
      >
        <label>
          Name
          <input value={name ?? data.name} disabled={!canManage} title={access.reason(MANAGE)} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={!canManage || name === undefined || name === data.name || action.running} title={access.reason(MANAGE)}>
          Save name
        </button>
      </form>
      <dl class="facts">
        <dt>ID</dt>
        <dd>
          <code>{data.id}</code>
        </dd>
        <dt>Created</dt>
        <dd>{data.createdAt}</dd>
      </dl>
      <label class="switch">
        <input type="checkbox" checked={data.enableCoreDumps} disabled={!canManage || action.running} title={access.reason(MANAGE)} onChange={(e) => patch({ enableCoreDumps: e.currentTarget.checked })} />
        Core dumps
      </label>

      <h2>Private endpoints</h2>
      <table>
        <TableHead columns={['ID', 'Description', 'Provider', 'Region']} />
        <tbody>
          {data.privateEndpoints.map((endpoint) => (
            <tr key={endpoint.id}>
              <td>
                <code>{endpoint.id}</code>
              </td>
              <td>{endpoint.description}</td>
              <td>{endpoint.cloudProvider}</td>
              <td>{endpoint.region}</td>
              <td>
                <button type="button" class="danger" disabled={!canManage} title={access.reason(MANAGE)} onClick={() => setRemoving(endpoint.id)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.privateEndpoints.length === 0 && <p class="empty">No private endpoints.</p>}
      {canManage && <AddPrivateEndpoint onAdd={(add) => patch({ privateEndpoints: { add: [add] } })} />}
      {removing && (
        <Confirm
          title="Remove the private endpoint?"
          message={`The private endpoint ${removing} will no longer be allowed.`}
          confirmLabel="Remove"
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            const endpoint = data.privateEndpoints.find((e) => e.id === removing)!;
            setRemoving(undefined);
            patch({ privateEndpoints: { remove: [{ id: endpoint.id }] } });
          }}
        />
      )}
      <PrivateEndpointConfig />
    </section>
  );
}

function AddPrivateEndpoint({ onAdd }: { onAdd(endpoint: { id: string; description?: string; cloudProvider: CloudProvider; region: Region }): Promise<void> }) {
  const [id, setId] = useState('');
  const [description, setDescription] = useState('');
  const [provider, setProvider] = useState<CloudProvider>('aws');
  const [region, setRegion] = useState<Region>(REGIONS.aws[0]);
  return (
    <form
      class="inline"
      aria-label="Add a private endpoint"
      onSubmit={(event) => {
        event.preventDefault();
        onAdd({ id, ...(description ? { description } : {}), cloudProvider: provider, region }).then(() => {
          setId('');
          setDescription('');
        });
      }}
    >
      <label>
        Endpoint ID
        <input required value={id} onInput={(e) => setId(e.currentTarget.value)} />
      </label>
      <label>
        Description
        <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <RegionPicker
        provider={provider}
        region={region}
        onChange={(p, r) => {
          setProvider(p);
          setRegion(r);
        }}
      />
      <button type="submit">Add private endpoint</button>
    </form>
  );
}

/** The private endpoint service of a region (the vendor's deprecated lookup, which orgplane serves too). */
function PrivateEndpointConfig() {
  const { client, org } = useConsole();
  const [provider, setProvider] = useState<CloudProvider>('aws');
  const [region, setRegion] = useState<Region>(REGIONS.aws[0]);
  const [serviceId, setServiceId] = useState<string | undefined>();
  const lookup = useAction();
  return (
    <>
      <h2>Private endpoint configuration</h2>
      <form
        class="inline"
        aria-label="Look up the private endpoint configuration"
        onSubmit={(event) => {
          event.preventDefault();
          setServiceId(undefined);
          lookup.run(async () => {
            const { data } = await client.GET('/v1/organizations/{organizationId}/privateEndpointConfig', { params: { ...org.params, query: { cloud_provider: provider, region_id: region } } });
            setServiceId(data!.result.endpointServiceId);
          });
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
        <button type="submit">Look up</button>
      </form>
      {lookup.failure && <ErrorMessage failure={lookup.failure} />}
      {serviceId && (
        <p>
          Endpoint service: <code>{serviceId}</code>
        </p>
      )}
    </>
  );
}
