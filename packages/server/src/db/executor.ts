import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Repositories accept either the database or an open transaction, so services decide the transaction boundary. */
export type Executor = Kysely<Database> | Transaction<Database>;
