import type { OrgplaneClient } from '@orgplane/client';
import { useState } from 'preact/hooks';
import { ErrorMessage } from '../../errors.js';
import { useAction } from '../../use-api.js';
import type { ClockState } from './types.js';

/** The emulator clock: every time of the server (createdAt, expiry, the BYOC lifecycle, rate-limit windows) comes from it. */
export function ClockControls({ controls, clock, onChanged }: { controls: OrgplaneClient; clock: ClockState; onChanged(): void }) {
  const action = useAction();
  const [now, setNow] = useState<string | undefined>();
  const [frozen, setFrozen] = useState<boolean | undefined>();
  const [seconds, setSeconds] = useState('3600');
  const change = (call: () => Promise<unknown>) =>
    action.run(call).then((ok) => {
      if (!ok) return;
      setNow(undefined);
      setFrozen(undefined);
      onChanged();
    });
  return (
    <>
      <h2>Clock</h2>
      <p>
        Now: <time dateTime={clock.now}>{clock.now}</time> <span class="badge">{clock.real ? 'real time' : clock.frozen ? 'frozen' : 'running'}</span>
      </p>
      {action.failure && <ErrorMessage failure={action.failure} />}
      <form
        class="inline"
        aria-label="Set the clock"
        onSubmit={(event) => {
          event.preventDefault();
          void change(() => controls.PUT('/_orgplane/clock', { body: { now: now ?? clock.now, frozen: frozen ?? clock.frozen } }));
        }}
      >
        <label>
          Time (RFC 3339)
          <input value={now ?? clock.now} size={28} required onInput={(e) => setNow(e.currentTarget.value)} />
        </label>
        <label class="switch">
          <input type="checkbox" checked={frozen ?? clock.frozen} onChange={(e) => setFrozen(e.currentTarget.checked)} />
          Frozen
        </label>
        <button type="submit" disabled={action.running}>
          Set clock
        </button>
      </form>
      <form
        class="inline"
        aria-label="Advance the clock"
        onSubmit={(event) => {
          event.preventDefault();
          void change(() => controls.POST('/_orgplane/clock/advance', { body: { seconds: Number(seconds) } }));
        }}
      >
        <label>
          Seconds (negative moves it back)
          <input type="number" step="any" required value={seconds} onInput={(e) => setSeconds(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={action.running}>
          Advance
        </button>
        <button type="button" disabled={action.running || clock.real} onClick={() => void change(() => controls.DELETE('/_orgplane/clock'))}>
          Back to real time
        </button>
      </form>
    </>
  );
}
