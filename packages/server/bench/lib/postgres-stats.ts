// What PostgreSQL itself spends on one database: the transactions its
// statistics count, and the CPU of the backends serving it (PostgreSQL runs on
// the bench machine, so /proc has them).
import pg from 'pg';
import { preciseCpuMicros } from './process-stats.js';

/**
 * Why readings of pg_stat_database need care (PostgreSQL 15). A backend keeps
 * its counts in its own memory and publishes them when it goes idle, at most
 * once a second; going idle less than a second after its last publication, it
 * arms a timer instead, and that timer (PGSTAT_IDLE_INTERVAL) fires after 10 s,
 * not 1 s: the last second of a burst of statements reached pg_stat_database
 * 9.5 s after the burst in a probe on this machine, so sleeping 1.5 s before a
 * reading misses statements. pg_stat_force_next_flush() acts only on the
 * session that calls it, never on the server's pooled connections. What is
 * exact: readings taken STATS_SETTLE_MS after a backend's last statement, and
 * readings taken once a backend has exited (a backend publishes everything
 * before it leaves pg_stat_activity).
 */
export const STATS_SETTLE_MS = 11_000;

/**
 * Readings of one database from a session on another (the admin URL's), so
 * the readings never count themselves. Each query is its own transaction, and
 * PostgreSQL drops its statistics snapshot at the end of one, so every
 * reading is fresh.
 */
export class DatabaseWatch {
  private constructor(
    private readonly admin: pg.Client,
    private readonly database: string,
  ) {}

  static async open(adminUrl: string, database: string): Promise<DatabaseWatch> {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    return new DatabaseWatch(admin, database);
  }

  /**
   * Transactions committed or rolled back in the database so far. A statement
   * outside a transaction is one transaction: a round trip of the server's
   * (opening a connection counts none).
   */
  async transactions(): Promise<number> {
    const { rows } = await this.admin.query<{ n: string }>('select xact_commit + xact_rollback as n from pg_stat_database where datname = $1', [this.database]);
    return Number(rows[0]!.n);
  }

  /** The backends connected to the database now. */
  async backends(): Promise<number[]> {
    const { rows } = await this.admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [this.database]);
    return rows.map((r) => r.pid);
  }

  /** CPU µs used so far by each backend connected to the database. */
  async backendCpu(): Promise<Map<number, number>> {
    const cpu = new Map<number, number>();
    for (const pid of await this.backends()) {
      try {
        cpu.set(pid, preciseCpuMicros(pid));
      } catch {
        // Exited between the two readings: nothing left to read.
      }
    }
    return cpu;
  }

  /** Waits (bounded) until only `remaining` of the database's backends are left; false if others stayed. */
  async untilOnly(remaining: ReadonlySet<number>, timeoutMs = 5000): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    do {
      if ((await this.backends()).every((pid) => remaining.has(pid))) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    } while (performance.now() < deadline);
    return false;
  }

  close(): Promise<void> {
    return this.admin.end();
  }
}

/** CPU µs the backends used between two readings; one that connected in between counts from its start. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, micros] of after) spent += micros - (before.get(pid) ?? 0);
  return spent;
}
