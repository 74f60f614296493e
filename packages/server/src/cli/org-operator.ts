import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { listOrganizations } from '../domain/organizations/organization.repository.js';
import { formatTime, printTable } from './output.js';

export interface OrganizationSummary {
  id: string;
  name: string;
  createdAt: string;
}

/**
 * `orgplane org list --database URL`: the operator's view, read straight from
 * the database without a server or credentials, so someone who lost every
 * admin key can still find the organization to issue a new one for.
 */
export async function listOrganizationsFromDatabase(url: string, json: boolean | undefined): Promise<void> {
  const database = openDatabase(url, {}, { mustExist: true });
  try {
    await migrateToLatest(database);
    const organizations: OrganizationSummary[] = (await listOrganizations(database.db)).map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
    if (json) {
      process.stdout.write(`${JSON.stringify(organizations)}\n`);
      return;
    }
    printTable(['ID', 'NAME', 'CREATED'], organizations.map((o) => [o.id, o.name, formatTime(o.createdAt)]));
  } finally {
    await database.close();
  }
}
