import type { OrgplaneClient } from '@orgplane/client';
import { useState } from 'preact/hooks';
import { ErrorMessage } from '../../errors.js';
import { useAction, useApi } from '../../use-api.js';
import type { FaultRuleInput, FaultRules } from './types.js';

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

/**
 * A stored rule as it is sent again: the server replaces the whole list on every change, so
 * adding a rule sends the others too, each limited to what it had left (a spent rule is dropped).
 */
function resend(rule: FaultRules['rules'][number]): FaultRuleInput | undefined {
  if (rule.remaining === 0) return undefined;
  const { fired: _fired, remaining, times: _times, ...definition } = rule;
  return { ...definition, ...(remaining !== undefined ? { times: remaining } : {}) };
}

/** Fault rules: errors, delays or dropped connections for matching API requests. */
export function FaultControls({ controls }: { controls: OrgplaneClient }) {
  const faults = useApi(async () => (await controls.GET('/_orgplane/faults')).data!.result, [controls]);
  const action = useAction();
  const [method, setMethod] = useState('');
  const [route, setRoute] = useState('');
  const [status, setStatus] = useState('503');
  const [times, setTimes] = useState('');
  const current = faults.data;
  const add = () =>
    action.run(async () => {
      const rule: FaultRuleInput = {
        ...(method ? { method } : {}),
        ...(route.trim() ? { route: route.trim() } : {}),
        kind: 'status',
        status: Number(status),
        ...(times ? { times: Number(times) } : {}),
      };
      const rules = [...(current?.rules ?? []).flatMap((r) => resend(r) ?? []), rule];
      await controls.POST('/_orgplane/faults', { body: { rules, ...(current ? { seed: current.seed } : {}) } });
      setRoute('');
      setTimes('');
      faults.reload();
    });
  return (
    <>
      <h2>Fault rules</h2>
      {faults.failure && <ErrorMessage failure={faults.failure} />}
      {action.failure && <ErrorMessage failure={action.failure} />}
      <table aria-label="Fault rules">
        <thead>
          <tr>
            {['Method', 'Route', 'Kind', 'Status', 'Times', 'Fired', 'Remaining'].map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {current?.rules.map((rule, i) => (
            <tr key={i}>
              <td>{rule.method ?? 'any'}</td>
              <td>
                <code>{rule.route ?? 'any route'}</code>
              </td>
              <td>{rule.kind}</td>
              <td>{rule.status ?? '—'}</td>
              <td>{rule.times ?? 'unlimited'}</td>
              <td>{rule.fired}</td>
              <td>{rule.remaining ?? 'unlimited'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {current?.rules.length === 0 && <p class="empty">No fault rules: every request gets its real answer.</p>}
      <div class="control-row">
        <button type="button" onClick={faults.reload}>
          Refresh rules
        </button>
        <button type="button" class="danger" disabled={action.running || !current?.rules.length} onClick={() => action.run(() => controls.DELETE('/_orgplane/faults')).then((ok) => ok && faults.reload())}>
          Delete all rules
        </button>
      </div>
      <form
        class="inline"
        aria-label="Add a fault rule"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <label>
          Method
          <select value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            <option value="">any</option>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Route (empty: any)
          <input value={route} placeholder="/v1/organizations/{organizationId}" onInput={(e) => setRoute(e.currentTarget.value)} />
        </label>
        <label>
          Status
          <input type="number" min={400} max={599} required value={status} onInput={(e) => setStatus(e.currentTarget.value)} />
        </label>
        <label>
          Times (empty: unlimited)
          <input type="number" min={1} value={times} onInput={(e) => setTimes(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={action.running || !current}>
          Add rule
        </button>
      </form>
      <p class="hint">Adding a rule sends the whole list again: each rule's count starts over from what it had left.</p>
    </>
  );
}
