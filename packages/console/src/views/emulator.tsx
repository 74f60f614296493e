import { useMemo, useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import { ErrorMessage } from '../errors.js';
import { controlsClient } from '../session.js';
import { useApi } from '../use-api.js';
import { ClockControls } from './emulator/clock.js';
import { FaultControls } from './emulator/faults.js';
import { JournalControls } from './emulator/journal.js';
import { StateControls } from './emulator/state.js';
import { ControlsTokenForm } from './emulator/token.js';

/**
 * orgplane's emulator controls (/_orgplane/*, only with `serve --controls`). They answer to the
 * server's controls token, not to the key's roles, so the key's permissions do not gate them here
 * either: with curl, anyone who may reach them may use them.
 */
export function EmulatorView() {
  const { session, updateSession } = useConsole();
  const controls = useMemo(() => controlsClient(session), [session.controlsToken]);
  const clock = useApi(async () => (await controls.GET('/_orgplane/clock')).data!.result, [controls]);
  // A reset or a seed changes everything below it: their sections read again.
  const [generation, setGeneration] = useState(0);
  const changed = () => setGeneration((n) => n + 1);
  const needsToken = clock.failure?.status === 401;
  return (
    <section>
      <h1>Emulator</h1>
      <p class="test-only" role="note">
        <strong>Emulator controls: test-only, not part of the vendor's API.</strong> They change this orgplane server's whole state for everyone using it, whatever
        this key's roles.
      </p>
      {needsToken ? (
        <ControlsTokenForm failure={clock.failure!} tried={session.controlsToken !== undefined} onToken={(controlsToken) => updateSession({ ...session, controlsToken })} />
      ) : clock.failure ? (
        <ErrorMessage failure={clock.failure} />
      ) : !clock.data ? (
        <p class="loading">Loading…</p>
      ) : (
        <>
          <StateControls
            controls={controls}
            onChanged={() => {
              changed();
              clock.reload();
            }}
          />
          <ClockControls controls={controls} clock={clock.data} onChanged={clock.reload} />
          <div key={generation}>
            <FaultControls controls={controls} />
            <JournalControls controls={controls} />
          </div>
        </>
      )}
    </section>
  );
}
