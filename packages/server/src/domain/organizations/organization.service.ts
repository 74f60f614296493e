import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/executor.js';
import type { Organization } from '../../schemas/organization.js';
import type { Actor } from '../actor.js';
import type { Domain } from '../domain.js';
import { notFound } from '../errors.js';
import { createOrganizationWith, type OrganizationChange } from './organization-change.js';
import { readOrganization } from './organization.repository.js';

/** The organization with every child collection, as one consistent snapshot, as it is at `now`. */
export async function getOrganization(db: Executor, id: string, now: Date): Promise<Organization> {
  const organization = await readOrganization(db, id, now);
  if (!organization) throw notFound('Organization');
  return organization;
}

/** Creates an organization (with its create_organization activity) and runs `then` as its first change, in one transaction. */
export function createOrganization<T>(domain: Domain, name: string, actor: Actor, then: (change: OrganizationChange) => Promise<T>): Promise<T> {
  return createOrganizationWith(domain, { id: randomUUID(), name, created_at: domain.clock.now().toISOString() }, actor, then);
}
