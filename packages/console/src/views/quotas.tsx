import { useConsole } from '../context.js';
import { ErrorMessage } from '../errors.js';
import { useApi } from '../use-api.js';

/** The organization's quotas, each with a bar of its usage against its limit where it reports a usage. */
export function Quotas() {
  const { client, org } = useConsole();
  const quotas = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/quotas', org)).data!.result);
  return (
    <>
      <h2>Quotas</h2>
      {quotas.failure && <ErrorMessage failure={quotas.failure} />}
      {!quotas.data && !quotas.failure && <p class="loading">Loading…</p>}
      {quotas.data && (
        <table>
          <caption class="visually-hidden">Quotas</caption>
          <thead>
            <tr>
              {['Quota', 'Scope', 'Usage', 'Limit', 'Adjustable'].map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {quotas.data.map((quota) => (
              <tr key={quota.quotaCode}>
                <td>
                  {quota.name}
                  <div class="hint">{quota.description}</div>
                </td>
                <td>{quota.scope}</td>
                <td>
                  {quota.usage === undefined ? (
                    <span class="hint">not reported</span>
                  ) : (
                    <div class="quota-usage">
                      {/* Quotas are reported, not enforced: a usage above the limit shows a full bar and says so. */}
                      <meter min={0} max={Math.max(quota.value, 1)} high={quota.value * 0.8} optimum={0} value={quota.usage} aria-label={`${quota.name}: ${quota.usage} of ${quota.value}`} />
                      <span>
                        {quota.usage} of {quota.value}
                        {quota.usage > quota.value && <span class="badge over">over the limit</span>}
                      </span>
                    </div>
                  )}
                </td>
                <td>{quota.value}</td>
                <td>{quota.adjustable ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
