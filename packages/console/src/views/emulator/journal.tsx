import type { OrgplaneClient } from '@orgplane/client';
import { ErrorMessage } from '../../errors.js';
import { useAction, useApi } from '../../use-api.js';

/** The request journal: the API requests this server answered, newest first (the controls' own are not in it). */
export function JournalControls({ controls }: { controls: OrgplaneClient }) {
  const journal = useApi(async () => (await controls.GET('/_orgplane/requests')).data!.result, [controls]);
  const action = useAction();
  return (
    <>
      <h2>Request journal</h2>
      {journal.failure && <ErrorMessage failure={journal.failure} />}
      {action.failure && <ErrorMessage failure={action.failure} />}
      <div class="control-row">
        <button type="button" onClick={journal.reload}>
          Refresh journal
        </button>
        <button type="button" class="danger" disabled={action.running || !journal.data?.length} onClick={() => action.run(() => controls.DELETE('/_orgplane/requests')).then((ok) => ok && journal.reload())}>
          Clear journal
        </button>
      </div>
      <table aria-label="Request journal">
        <thead>
          <tr>
            {['Time', 'Method', 'Route', 'Status', 'Duration', 'Key', 'Fault'].map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {journal.data?.map((entry) => (
            <tr key={entry.requestId}>
              <td>
                <time dateTime={entry.time}>{entry.time}</time>
              </td>
              <td>{entry.method}</td>
              <td>
                <code>{entry.route ?? entry.path}</code>
              </td>
              <td>{entry.status ?? 'no answer'}</td>
              <td>{entry.durationMs.toFixed(1)} ms</td>
              <td>{entry.keySuffix ? <code>…{entry.keySuffix}</code> : '—'}</td>
              <td>{entry.fault ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {journal.data?.length === 0 && <p class="empty">No requests since the journal was last cleared.</p>}
    </>
  );
}
