import { randomUUID } from 'node:crypto';
import type { Organization } from '../../schemas/organization.js';
import type { Actor } from '../actor.js';
import type { Domain } from '../domain.js';
import { notFound } from '../errors.js';
import { andThen, type MaybePromise } from '../maybe-promise.js';
import { createOrganizationWith, type OrganizationChange } from './organization-change.js';
import { organizationAt } from './organization.repository.js';

/** The organization with every child collection, as one consistent snapshot, as it is now on the server's clock. */
export function getOrganization(domain: Domain, id: string): MaybePromise<Organization> {
  return andThen(domain.organizations.rows(id), (rows) => {
    if (!rows) throw notFound('Organization');
    return organizationAt(rows, domain.clock.now());
  });
}

/** Creates an organization (with its create_organization activity) and runs `then` as its first change, in one transaction. */
export function createOrganization<T>(domain: Domain, name: string, actor: Actor, then: (change: OrganizationChange) => Promise<T>): Promise<T> {
  return createOrganizationWith(domain, { id: randomUUID(), name, created_at: domain.clock.now().toISOString() }, actor, then);
}
