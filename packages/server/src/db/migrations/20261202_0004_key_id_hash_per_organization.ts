import { SqliteAdapter, type Kysely } from 'kysely';

// Frozen once released. A key ID hash was unique across all organizations, so
// creating a key from hashData told an admin of one organization whether a key
// ID existed in another ("a key with this key ID already exists"). It is now
// unique within its organization, and the pair of key ID and secret hashes is
// unique everywhere, so one credential still matches one key at most. The pair
// index also serves the look-up by key ID hash (its leading column).
//
// PostgreSQL drops the constraint in place. SQLite cannot drop a column's
// UNIQUE, so the table is rebuilt (same columns, same order) in one
// transaction: a start that dies halfway leaves the old table as it was.

async function createIndexes(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('api_keys_key_id_secret_idx').on('api_keys').columns(['key_id_hash', 'key_secret_hash']).unique().execute();
  await db.schema.createIndex('api_keys_organization_key_id_idx').on('api_keys').columns(['organization_id', 'key_id_hash']).unique().execute();
}

/** Rebuilds api_keys on SQLite as 0001/0003 left it, with key_id_hash unique on its own or not. */
async function rebuildSqliteTable(db: Kysely<any>, keyIdHashUnique: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('api_keys_rebuilt')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_id_hash', 'text', (c) => (keyIdHashUnique ? c.notNull().unique() : c.notNull()))
      .addColumn('key_id_suffix', 'text', (c) => c.notNull())
      .addColumn('key_secret_hash', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expire_at', 'text')
      .addColumn('used_at', 'text')
      .addColumn('ip_access_list', 'text', (c) => c.notNull())
      .execute();
    await trx.insertInto('api_keys_rebuilt').expression(trx.selectFrom('api_keys').selectAll()).execute();
    await trx.schema.dropTable('api_keys').execute();
    await trx.schema.alterTable('api_keys_rebuilt').renameTo('api_keys').execute();
    await trx.schema.createIndex('api_keys_organization_idx').on('api_keys').columns(['organization_id', 'created_at']).execute();
    if (!keyIdHashUnique) await createIndexes(trx);
  });
}

const onSqlite = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof SqliteAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  if (onSqlite(db)) return rebuildSqliteTable(db, false);
  await createIndexes(db);
  await db.schema.alterTable('api_keys').dropConstraint('api_keys_key_id_hash_key').execute();
}

/** Fails, changing nothing, once two organizations hold keys with the same key ID hash. */
export async function down(db: Kysely<any>): Promise<void> {
  if (onSqlite(db)) return rebuildSqliteTable(db, true);
  await db.schema.alterTable('api_keys').addUniqueConstraint('api_keys_key_id_hash_key', ['key_id_hash']).execute();
  await db.schema.dropIndex('api_keys_organization_key_id_idx').execute();
  await db.schema.dropIndex('api_keys_key_id_secret_idx').execute();
}
