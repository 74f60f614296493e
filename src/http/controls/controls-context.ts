import type { ControlledClock } from '../../clock.js';
import type { Domain } from '../../domain/domain.js';
import type { Fixture } from '../../domain/fixtures/fixture-schema.js';

/** What `serve --controls` gives the controls: present only then, so nothing of them runs otherwise. */
export interface EmulatorControls {
  /** Every control request must carry `Authorization: Bearer <token>` when set. */
  token: string | null;
  /** The domain's clock (the same instance). */
  clock: ControlledClock;
  /** The `--seed` fixture: every reset applies it again. */
  seed?: Fixture;
}

/** What the control routes use: the controls, the domain, and the instance state a reset forgets. */
export interface ControlsContext extends EmulatorControls {
  domain: Domain;
  /** Forgets this instance's caches and counters (verified keys, rate-limit and failed-authentication counters). */
  forgetInstanceState(): Promise<void>;
}
