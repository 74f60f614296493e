import type { OrgplaneClient } from '@orgplane/client';
import { useState } from 'preact/hooks';
import { Confirm } from '../../confirm.js';
import { useConsole } from '../../context.js';
import { ErrorMessage, failureOf, type Failure } from '../../errors.js';
import { useAction } from '../../use-api.js';
import type { Fixture, SeedSummary } from './types.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The counts of a seed summary that are not zero, in words. */
function summaryText(summary: SeedSummary): string {
  const counts: [number, string, string?][] = [
    [summary.organizations, 'organization'],
    [summary.keys, 'key'],
    [summary.roles, 'role'],
    [summary.members, 'member'],
    [summary.invitations, 'invitation'],
    [summary.privateEndpoints, 'private endpoint'],
    [summary.byocInfrastructures, 'BYOC infrastructure'],
    [summary.services, 'service record'],
    [summary.usageRecords, 'usage record'],
    [summary.quotas, 'quota'],
    [summary.activities, 'activity', 'activities'],
  ];
  return counts.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many)).join(', ') || 'nothing';
}

/** Offers the browser a file made in the page (a same-origin blob: URL, no request leaves the page). */
function downloadJson(value: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started reading the blob once click() returns, but not necessarily finished: revoke later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Reset, snapshot and seed: the whole state of the emulator at once. */
export function StateControls({ controls, onChanged }: { controls: OrgplaneClient; onChanged(): void }) {
  const { client } = useConsole();
  const reset = useAction();
  const snapshot = useAction();
  const seed = useAction();
  const [confirming, setConfirming] = useState(false);
  const [resetDone, setResetDone] = useState<string | undefined>();
  const [keyFailure, setKeyFailure] = useState<Failure | undefined>();
  const [file, setFile] = useState<File | undefined>();
  const [seeded, setSeeded] = useState<string | undefined>();

  const runReset = () =>
    reset.run(async () => {
      setResetDone(undefined);
      setKeyFailure(undefined);
      const { data } = await controls.POST('/_orgplane/reset');
      const back = data!.result.seeded;
      setResetDone(back ? `Reset: the server's fixture is back (${summaryText(back)}).` : 'Reset: the database is empty.');
      onChanged();
      // The key this tab signed in with may have gone with the reset (only the fixture's keys come back): ask the API.
      await client.GET('/v1/organizations').catch((err: unknown) => setKeyFailure(failureOf(err)));
    });

  const runSeed = (chosen: File) =>
    seed.run(async () => {
      setSeeded(undefined);
      const text = await chosen.text();
      let fixture: Fixture;
      try {
        fixture = JSON.parse(text) as Fixture;
      } catch (err) {
        throw new Error(`${chosen.name} is not JSON (${err instanceof Error ? err.message : String(err)}); the server takes a fixture as JSON here.`);
      }
      const { data } = await controls.POST('/_orgplane/seed', { body: fixture });
      setSeeded(`Seeded ${chosen.name}: ${summaryText(data!.result)}.`);
      onChanged();
    });

  return (
    <>
      <h2>State</h2>
      <div class="control-row">
        <button type="button" class="danger" disabled={reset.running} onClick={() => setConfirming(true)}>
          Reset
        </button>
        <button
          type="button"
          disabled={snapshot.running}
          onClick={() =>
            snapshot.run(async () => {
              const { data } = await controls.GET('/_orgplane/snapshot');
              downloadJson(data!.result, `orgplane-snapshot-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
            })
          }
        >
          Download snapshot
        </button>
      </div>
      {reset.failure && <ErrorMessage failure={reset.failure} />}
      {resetDone && <p role="status">{resetDone}</p>}
      {keyFailure && (
        <>
          <p class="warning">The key this console signed in with answers no more after the reset: sign out, and sign in with a key of the fixture.</p>
          <ErrorMessage failure={keyFailure} />
        </>
      )}
      {snapshot.failure && <ErrorMessage failure={snapshot.failure} />}
      <form
        class="inline"
        aria-label="Seed a fixture"
        onSubmit={(event) => {
          event.preventDefault();
          if (file) void runSeed(file);
        }}
      >
        <label>
          Fixture file (JSON)
          <input type="file" accept=".json,application/json" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </label>
        <button type="submit" disabled={!file || seed.running}>
          Apply fixture
        </button>
      </form>
      <p class="hint">A fixture is applied on top of the current state, all or nothing (a snapshot is one; docs/FIXTURES.md describes the format).</p>
      {seed.failure && <ErrorMessage failure={seed.failure} />}
      {seeded && <p role="status">{seeded}</p>}
      {confirming && (
        <Confirm
          title="Reset the emulator?"
          message="The database is emptied, or returned to the server's seed fixture; the clock restarts; fault rules, the request journal and every other change are forgotten. Keys made since then stop working. This cannot be undone."
          confirmLabel="Reset"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void runReset();
          }}
        />
      )}
    </>
  );
}
