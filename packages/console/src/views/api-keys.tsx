import { useConsole } from '../context.js';
import { ErrorMessage } from '../errors.js';
import { useApi } from '../use-api.js';

export function ApiKeysView() {
  const { client, org } = useConsole();
  const keys = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/keys', org)).data!.result);
  if (keys.failure) return <ErrorMessage failure={keys.failure} />;
  return (
    <section>
      <h1>API keys</h1>
      <p>{keys.data?.length ?? '…'} keys</p>
    </section>
  );
}
