import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { MaybePromise } from '../maybe-promise.js';
import { readOrganizationRows, type OrganizationRows } from './organization.repository.js';

interface Entry {
  revision: number;
  rows: OrganizationRows | undefined;
}

/**
 * Organizations as last read, reused while the database's revision is
 * unchanged. The revision changes with every write of this instance and every
 * commit of any other writer (another instance, the operator CLI, a reset), so
 * a read never shows less than the last commit. It is read before the data, so
 * an entry is never newer than its revision says. Without a revision (on
 * PostgreSQL, where checking it would cost the round trip the read costs)
 * every call reads.
 */
export class OrganizationCache {
  private readonly entries = new LRUCache<string, Entry>({ max: 1000 });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly revision: (() => number) | undefined,
  ) {}

  /** The rows; at once, without a promise, when they are cached (see MaybePromise). */
  rows(id: string): MaybePromise<OrganizationRows | undefined> {
    if (!this.revision) return readOrganizationRows(this.db, id);
    const revision = this.revision();
    const cached = this.entries.get(id);
    if (cached?.revision === revision) return cached.rows;
    return readOrganizationRows(this.db, id).then((rows) => {
      this.entries.set(id, { revision, rows });
      return rows;
    });
  }

  clear(): void {
    this.entries.clear();
  }
}
