import { open, type FileHandle } from 'node:fs/promises';

/**
 * Group commit for SQLite in WAL mode with synchronous=NORMAL.
 *
 * With NORMAL, a COMMIT appends its frames to the WAL with write() but does not
 * fsync, so it survives a crash of the process (the data is in the OS page
 * cache) but not a power cut. Before a mutation is acknowledged, its caller
 * waits for an fdatasync of the WAL file that *started after* its COMMIT
 * returned. One fdatasync covers every commit written before it began, so
 * concurrent requests share syncs instead of paying one each — and the
 * fdatasync runs on libuv's thread pool, so the event loop keeps serving reads
 * and committing further writes meanwhile. SQLite itself syncs the WAL before
 * each checkpoint and the database file after it, so checkpointed data stays
 * durable as with FULL.
 */
export class WalGroupSync {
  private handle: Promise<FileHandle> | undefined;
  /** The fdatasync currently running, if any. */
  private running: Promise<void> | undefined;
  /** The one queued to start after it, shared by everyone who committed meanwhile. */
  private queued: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before this call is on stable storage. */
  sync(): Promise<void> {
    if (!this.running) return this.start();
    // The running sync may have begun before our COMMIT: wait for the next one.
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await Promise.allSettled([this.running, this.queued]);
    if (handle) await (await handle).close();
  }

  private startQueued(): Promise<void> {
    this.queued = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    const run = (async () => {
      // Opened lazily: the WAL file exists once the first transaction has written to it.
      this.handle ??= open(this.walPath, 'r');
      await (await this.handle).datasync();
    })();
    this.running = run;
    const clear = () => {
      if (this.running === run) this.running = undefined;
    };
    run.then(clear, clear);
    return run;
  }
}
