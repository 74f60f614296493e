import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { linkHash } from '../../dist/domain/activities/activity-chain.js';
import { runCli } from './processes.js';

const CACHE = fileURLToPath(new URL('../.cache/', import.meta.url));
const SEED_VERSION = 1;
const TWO_YEARS_MS = 2 * 365 * 24 * 3600 * 1000;

export interface Seeded {
  databaseUrl: string;
  organizationId: string;
  keyId: string;
  keySecret: string;
  activities: number;
  /** Milliseconds spent seeding in this run (0 when the cache was reused). */
  seedMs: number;
}

interface Row {
  id: string;
  organization_id: string;
  created_at: string;
  type: string;
  actor_type: string;
  actor_id: string | null;
  actor_details: string | null;
  actor_ip_address: string | null;
  user_agent: string | null;
  service_id: string | null;
  target_key_id: string | null;
  key_update_type: string | null;
  seq: number;
}

const COLUMNS = ['id', 'organization_id', 'created_at', 'type', 'actor_type', 'actor_id', 'actor_details', 'actor_ip_address', 'user_agent', 'service_id', 'target_key_id', 'key_update_type', 'seq', 'hash'] as const;

/**
 * Generates `count` rename activities spread evenly over the last two years,
 * oldest first, each a valid link of the organization's hash chain (so the
 * seeded log also passes `orgplane audit verify`).
 */
function* activities(organizationId: string, count: number, firstSeq: number, previousHash: string): Generator<Row & { hash: string }> {
  const end = Date.now() - 60_000;
  const start = end - TWO_YEARS_MS;
  let hash = previousHash;
  for (let i = 0; i < count; i++) {
    const at = start + Math.floor((i * TWO_YEARS_MS) / count);
    const row: Row = {
      id: uuidv7({ msecs: at }),
      organization_id: organizationId,
      created_at: new Date(at).toISOString(),
      type: 'organization_update_name',
      actor_type: 'api',
      actor_id: '6b0b3a5c-2f3e-4f6e-9a55-3c1f0e9f1a01',
      actor_details: 'API key "bench"',
      actor_ip_address: '127.0.0.1',
      user_agent: 'orgplane-bench',
      service_id: null,
      target_key_id: null,
      key_update_type: null,
      seq: firstSeq + i,
    };
    hash = linkHash(hash, row);
    yield { ...row, hash };
  }
}

function progressBar(label: string, total: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar({ format: `${label} {bar} {value}/{total} activities | {eta}s left`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return bar;
}

/** A SQLite database with one organization and `count` activities; cached under bench/.cache and copied per run. */
export async function seedSqlite(count: number, workFile: string): Promise<Seeded> {
  mkdirSync(CACHE, { recursive: true });
  const cached = `${CACHE}activities-v${SEED_VERSION}-${count}.sqlite`;
  const meta = `${cached}.json`;
  let seedMs = 0;
  if (!existsSync(cached) || !existsSync(meta)) {
    const started = performance.now();
    await runCli(['migrate', '--database', `sqlite:${cached}`]);
    const boot = JSON.parse(await runCli(['bootstrap', '--org-name', 'Bench', '--json', '--database', `sqlite:${cached}`]));
    const db = new Database(cached);
    db.pragma('journal_mode = WAL');
    const head = db.prepare('select activity_seq, activity_hash from organizations where id = ?').get(boot.organizationId) as { activity_seq: number; activity_hash: string };
    const insert = db.prepare(`insert into activities (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
    const bar = progressBar('seeding SQLite', count);
    let batch: unknown[][] = [];
    let last = { seq: head.activity_seq, hash: head.activity_hash };
    const flush = db.transaction((rows: unknown[][]) => {
      for (const r of rows) insert.run(r);
    });
    for (const row of activities(boot.organizationId, count, head.activity_seq + 1, head.activity_hash)) {
      batch.push(COLUMNS.map((c) => row[c]));
      last = { seq: row.seq, hash: row.hash };
      if (batch.length === 50_000) {
        flush(batch);
        bar.increment(batch.length);
        batch = [];
      }
    }
    flush(batch);
    bar.increment(batch.length);
    bar.stop();
    db.prepare('update organizations set activity_seq = ?, activity_hash = ? where id = ?').run(last.seq, last.hash, boot.organizationId);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    writeFileSync(meta, JSON.stringify(boot));
    seedMs = performance.now() - started;
  }
  copyFileSync(cached, workFile);
  const boot = JSON.parse(readFileSync(meta, 'utf8'));
  return { databaseUrl: `sqlite:${workFile}`, ...boot, activities: count + 2, seedMs };
}

/** The same data on a fresh PostgreSQL database (multi-row inserts in large transactions). */
export async function seedPostgres(adminUrl: string, count: number): Promise<Seeded & { drop(): Promise<void> }> {
  const name = `orgplane_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const started = performance.now();
  const boot = JSON.parse(await runCli(['bootstrap', '--org-name', 'Bench', '--json', '--database', databaseUrl]));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const head = (await client.query('select activity_seq, activity_hash from organizations where id = $1', [boot.organizationId])).rows[0];
  // A database with no activities (the 429 scenario's) needs no progress bar.
  const bar = count > 0 ? progressBar('seeding PostgreSQL', count) : undefined;
  let batch: unknown[][] = [];
  let last = { seq: Number(head.activity_seq), hash: head.activity_hash as string };
  const flush = async () => {
    if (!batch.length) return;
    const values = batch.map((_, r) => `(${COLUMNS.map((__, c) => `$${r * COLUMNS.length + c + 1}`).join(',')})`).join(',');
    await client.query(`insert into activities (${COLUMNS.join(',')}) values ${values}`, batch.flat());
    bar?.increment(batch.length);
    batch = [];
  };
  await client.query('begin');
  for (const row of activities(boot.organizationId, count, last.seq + 1, last.hash)) {
    batch.push(COLUMNS.map((c) => row[c]));
    last = { seq: row.seq, hash: row.hash };
    if (batch.length === 4000) await flush();
  }
  await flush();
  await client.query('update organizations set activity_seq = $1, activity_hash = $2 where id = $3', [last.seq, last.hash, boot.organizationId]);
  await client.query('commit');
  await client.query('analyze');
  bar?.stop();
  await client.end();
  return {
    databaseUrl,
    ...boot,
    activities: count + 2,
    seedMs: performance.now() - started,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
