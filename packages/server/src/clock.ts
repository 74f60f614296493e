import { LATEST_INSTANT } from './domain/instants.js';

/** Injected so tests and services never reach for the global clock directly. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What GET /_orgplane/clock shows: the clock's time, and whether it stands still or follows real time. */
export interface ClockState {
  now: Date;
  frozen: boolean;
  /** True while the clock is real time (never set, or set back with DELETE). */
  real: boolean;
}

/**
 * The emulator's clock (`serve --clock`, `/_orgplane/clock`): real time
 * shifted by an offset, or frozen at an instant. Every time the server uses
 * comes from the one instance of it the domain holds, so moving it moves
 * creation times, expiry, usedAt and the rate-limit windows together. Running
 * on, it stops at the last storable instant (it would otherwise stamp rows
 * with a year no date-time reader accepts); writes are refused there
 * (http/controls/clock-end.ts).
 */
export class ControlledClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;
  /** Where `serve --clock` started it, and every reset starts it again; real time without one. */
  private start: { at: number; frozen: boolean } | undefined;

  now(): Date {
    return new Date(Math.min(this.frozenAt ?? Date.now() + this.offsetMs, LATEST_INSTANT));
  }

  /** Whether the clock stands at the end of the instant range, where nothing can be stamped after what it stamped last. */
  atEnd(): boolean {
    return this.now().getTime() >= LATEST_INSTANT;
  }

  state(): ClockState {
    return { now: this.now(), frozen: this.frozenAt !== undefined, real: this.frozenAt === undefined && this.offsetMs === 0 };
  }

  /** From now on the clock reads `at`, and then stands still (frozen) or runs on in real time. */
  set(at: Date, frozen: boolean): void {
    if (frozen) {
      this.frozenAt = at.getTime();
      this.offsetMs = 0;
    } else {
      this.frozenAt = undefined;
      this.offsetMs = at.getTime() - Date.now();
    }
  }

  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Starts the clock at `at` (`serve --clock`): now, and again on every restart. */
  startAt(at: Date, frozen: boolean): void {
    this.start = { at: at.getTime(), frozen };
    this.set(at, frozen);
  }

  /** Back to where it started (the emulator's reset): the `--clock` instant, or real time. */
  restart(): void {
    if (this.start) this.set(new Date(this.start.at), this.start.frozen);
    else this.useRealTime();
  }

  /** Back to real time. */
  useRealTime(): void {
    this.frozenAt = undefined;
    this.offsetMs = 0;
  }
}
