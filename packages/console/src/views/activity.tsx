import { useMemo, useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import { downloadText } from '../download.js';
import { ErrorMessage } from '../errors.js';
import { useApi } from '../use-api.js';
import { ActivityDetails } from './activity-details.js';
import { ActivityTable } from './activity-table.js';
import { activitiesCsv, activitiesJson, actorOf, rangeOf, type Activity, type ActivityRange, type RangeDraft } from './activity-data.js';

const NO_ACTIVITIES: Activity[] = [];
const count = (n: number) => n.toLocaleString('en');
const EMPTY_DRAFT: RangeDraft = { fromDate: '', fromTime: '', toDate: '', toTime: '' };

export function ActivityView() {
  const { client, org } = useConsole();
  const [range, setRange] = useState<ActivityRange>({});
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const [problem, setProblem] = useState<string | undefined>();
  const [type, setType] = useState('');
  const [actor, setActor] = useState<{ key: string; label: string } | undefined>();
  const [selectedId, setSelectedId] = useState<string | undefined>();
  // The API answers the whole range in one streamed response; it is kept here, and only the rows in view are drawn.
  const list = useApi(async () => (await client.GET('/v1/organizations/{organizationId}/activities', { params: { ...org.params, query: range } })).data!.result, [range]);
  const all = list.data ?? NO_ACTIVITIES;
  // The choices are those of the loaded range, plus the chosen one when another range has none of it, so the filter in force stays visible.
  const types = useMemo(() => [...new Set([...all.map((a) => a.type), ...(type ? [type] : [])])].sort(), [all, type]);
  const actors = useMemo(() => {
    const byKey = new Map<string, string>();
    for (const a of all) {
      const { key, label } = actorOf(a);
      if (!byKey.has(key)) byKey.set(key, label);
    }
    if (actor && !byKey.has(actor.key)) byKey.set(actor.key, actor.label);
    return [...byKey].sort((a, b) => a[1].localeCompare(b[1]));
  }, [all, actor]);
  const shown = useMemo(() => all.filter((a) => (!type || a.type === type) && (!actor || actorOf(a).key === actor.key)), [all, type, actor]);
  const selected = selectedId === undefined ? undefined : all.find((a) => a.id === selectedId);

  const applyRange = (event: Event) => {
    event.preventDefault();
    const next = rangeOf(draft);
    setProblem(typeof next === 'string' ? next : undefined);
    if (typeof next !== 'string') setRange(next);
  };
  const exportAs = (format: 'json' | 'csv') => {
    const bounds = [range.from_date, range.to_date].filter(Boolean).join('_to_');
    const name = `activities${bounds ? `-${bounds}` : ''}.${format}`.replaceAll(':', '-');
    if (format === 'json') downloadText(name, activitiesJson(shown), 'application/json');
    else downloadText(name, activitiesCsv(shown), 'text/csv');
  };
  const setDraftField = (field: keyof RangeDraft) => (e: { currentTarget: HTMLInputElement }) => setDraft({ ...draft, [field]: e.currentTarget.value });

  return (
    <section>
      <h1>Activity</h1>
      <form class="inline" aria-label="Date range" onSubmit={applyRange}>
        <label>
          From date
          <input type="date" value={draft.fromDate} onInput={setDraftField('fromDate')} />
        </label>
        <label>
          From time (UTC)
          <input type="time" step={1} value={draft.fromTime} onInput={setDraftField('fromTime')} />
        </label>
        <label>
          To date
          <input type="date" value={draft.toDate} onInput={setDraftField('toDate')} />
        </label>
        <label>
          To time (UTC)
          <input type="time" step={1} value={draft.toTime} onInput={setDraftField('toTime')} />
        </label>
        <button type="submit">Apply dates</button>
        <button
          type="button"
          onClick={() => {
            setDraft(EMPTY_DRAFT);
            setProblem(undefined);
            setRange({});
          }}
        >
          Clear dates
        </button>
        <span class="hint">A date alone is the whole UTC day.</span>
      </form>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      <div class="inline filters">
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor
          <select
            value={actor?.key ?? ''}
            onChange={(e) => {
              const key = e.currentTarget.value;
              setActor(key ? { key, label: actors.find(([k]) => k === key)![1] } : undefined);
            }}
          >
            <option value="">All actors</option>
            {actors.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={shown.length === 0} onClick={() => exportAs('json')}>
          Export JSON
        </button>
        <button type="button" disabled={shown.length === 0} onClick={() => exportAs('csv')}>
          Export CSV
        </button>
      </div>
      {list.failure && <ErrorMessage failure={list.failure} />}
      {list.loading ? (
        <p class="loading">Loading…</p>
      ) : (
        <p role="status" class="activity-count">
          {shown.length === all.length ? `${count(all.length)} activities` : `${count(shown.length)} of ${count(all.length)} activities`}
        </p>
      )}
      {list.data && (
        <div class={selected ? 'activity-layout with-details' : 'activity-layout'}>
          {shown.length > 0 ? <ActivityTable activities={shown} selectedId={selectedId} onSelect={setSelectedId} /> : <p class="empty">No activities match.</p>}
          {selected && <ActivityDetails activity={selected} onClose={() => setSelectedId(undefined)} />}
        </div>
      )}
    </section>
  );
}
