import type { ControlledClock } from '../../clock.js';
import type { Domain } from '../../domain/domain.js';
import type { Fixture } from '../../domain/fixtures/fixture-schema.js';
import { endpointsWith } from '../endpoint.js';
import type { FaultInjector } from './fault-injector.js';
import type { RequestJournal } from './request-journal.js';

/** What `serve --controls` gives the controls: present only then, so nothing of them runs otherwise. */
export interface EmulatorControls {
  /** Every control request must carry `Authorization: Bearer <token>` when set. */
  token: string | null;
  /** The domain's clock (the same instance). */
  clock: ControlledClock;
  /** The `--seed` fixture: every reset applies it again. */
  seed?: Fixture;
  /** How many requests the request journal keeps (default DEFAULT_JOURNAL_SIZE). */
  journalSize?: number;
}

/** What the control routes use: the controls, the domain, and the instance state a reset forgets. */
export interface ControlsContext extends EmulatorControls {
  domain: Domain;
  /**
   * Forgets what this instance holds in memory: verified keys, rate-limit and
   * failed-authentication counters, fault rules, the journal; and the shared
   * rate-limit counters of `apiKeyIds` (the keys the database held).
   */
  forgetInstanceState(apiKeyIds: readonly string[]): Promise<void>;
  /** This instance's fault rules (/_orgplane/faults). */
  faults: FaultInjector;
  /** This instance's recent API requests (/_orgplane/requests). */
  journal: RequestJournal;
}

/** Declares an emulator control: its handler gets the controls' context. */
export const controlEndpoint = endpointsWith<ControlsContext>();
