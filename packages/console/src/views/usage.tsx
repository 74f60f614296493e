import { useMemo, useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import { addDays, daysBetween, todayUtc } from '../dates.js';
import { downloadText } from '../download.js';
import { ErrorMessage } from '../errors.js';
import { useApi } from '../use-api.js';
import { Quotas } from './quotas.js';
import { UsageChart } from './usage-chart.js';
import { dailyCostByType, MAX_PERIOD_DAYS, METRICS, periodProblem, readUsageCost, usageCsv, type UsageCost, type UsagePeriod } from './usage-data.js';

const VIEW_BILLING = 'control-plane:organization:view-billing';

export function UsageView() {
  const { access } = useConsole();
  // With unknown access the API decides (a 403 shows its message); a key known to lack the permission is not sent.
  const billing = !access.known || access.can(VIEW_BILLING);
  return (
    <section>
      <h1>Usage</h1>
      {billing ? <UsageCostSection /> : <p class="empty">The usage cost is not shown: {access.reason(VIEW_BILLING)}</p>}
      <Quotas />
    </section>
  );
}

function UsageCostSection() {
  const context = useConsole();
  const [period, setPeriod] = useState<UsagePeriod>(() => {
    const to = todayUtc();
    return { from: addDays(to, -(MAX_PERIOD_DAYS - 1)), to };
  });
  const [draft, setDraft] = useState(period);
  const [problem, setProblem] = useState<string | undefined>();
  const usage = useApi(() => readUsageCost(context, period), [period]);
  const submit = (event: Event) => {
    event.preventDefault();
    const refused = periodProblem(draft, daysBetween);
    setProblem(refused);
    // A new object even for the same dates, so that asking again reads again.
    if (!refused) setPeriod({ ...draft });
  };
  return (
    <>
      <form class="inline" aria-label="Usage period" onSubmit={submit}>
        <label>
          From
          <input type="date" value={draft.from} aria-invalid={problem ? true : undefined} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        </label>
        <label>
          To
          <input type="date" value={draft.to} aria-invalid={problem ? true : undefined} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        </label>
        <button type="submit">Show usage</button>
        <span class="hint">UTC days, at most {MAX_PERIOD_DAYS}.</span>
      </form>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      {usage.failure && <ErrorMessage failure={usage.failure} />}
      {usage.loading && <p class="loading">Loading…</p>}
      {usage.data && <UsageReport cost={usage.data} />}
    </>
  );
}

function UsageReport({ cost }: { cost: UsageCost }) {
  const chart = useMemo(() => dailyCostByType(cost), [cost]);
  const { from, to } = cost.period;
  return (
    <>
      <dl class="facts usage-summary">
        <dt>Period</dt>
        <dd>
          {from} to {to}
        </dd>
        <dt>Total</dt>
        <dd>
          <strong>{cost.grandTotalCHC}</strong> CHC
        </dd>
        <dt>Records</dt>
        <dd>{cost.costs.length}</dd>
      </dl>
      <button type="button" disabled={cost.costs.length === 0} onClick={() => downloadText(`usage-${from}-${to}.csv`, usageCsv(cost), 'text/csv')}>
        Export CSV
      </button>
      {cost.costs.length === 0 ? (
        <p class="empty">No usage records in this period.</p>
      ) : (
        <>
          <UsageChart days={chart.days} series={chart.series} />
          {/* The records scroll in their own box, so that a long period keeps the chart, the total and the quotas in reach. */}
          <div class="records-scroll" tabIndex={0} role="region" aria-label="Usage records">
            <table class="usage-records">
              <caption>
                Usage records, {from} to {to}
              </caption>
              <thead>
                <tr>
                  {['Date', 'Entity type', 'Entity', 'Metrics (CHC)', 'Total (CHC)', 'Locked'].map((h) => (
                    <th scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cost.costs.map((record) => (
                  <tr key={`${record.date} ${record.entityId}`}>
                    <td>{record.date}</td>
                    <td>{record.entityType}</td>
                    <td>
                      {record.entityName}
                      <div class="hint">
                        <code>{record.entityId}</code>
                      </div>
                    </td>
                    <td>
                      {METRICS.filter((m) => record.metrics[m] !== undefined)
                        .map((m) => `${m} ${record.metrics[m]}`)
                        .join(', ')}
                    </td>
                    <td class="amount">{record.totalCHC}</td>
                    <td>{record.locked ? 'yes' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={4}>
                    Total
                  </th>
                  <td class="amount">{cost.grandTotalCHC}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </>
  );
}
