import type { ValidateFunction } from 'ajv';
import { systemActor } from '../domain/actor.js';
import { ApiError, badRequest, notFound } from '../domain/errors.js';
import { updateOrganization } from '../domain/organizations/organization-patch.js';
import { OrganizationPatchRequest, type Organization, type OrganizationPatch } from '../schemas/organization.js';
import { compileRequestSchema } from '../schemas/request-validation.js';
import { issueMessage, type SchemaIssue } from '../schemas/validation-message.js';
import { withDatabase } from './keys.js';

// The API checks a PATCH body against its route schema before the domain sees
// it (the domain trusts that check), so the operator's patch is held to the
// same schema, checked the same way (compileRequestSchema): the operator
// cannot store a name or an endpoint the API would refuse.

let compiled: ValidateFunction<OrganizationPatch> | undefined;

function patchError(patch: OrganizationPatch): string | undefined {
  compiled ??= compileRequestSchema<OrganizationPatch>(OrganizationPatchRequest);
  if (compiled(patch)) return undefined;
  const issue = compiled.errors?.[0] as SchemaIssue | undefined;
  return issue ? issueMessage(issue, 'field') : 'Invalid organization change';
}

/**
 * `orgplane org update --database URL --org ID …`: the PATCH of the API,
 * applied straight to the database as the operator (audited as actorType
 * "system"), so an organization can be changed without any API key. Resolves
 * with the organization as changed, or undefined when it was refused (the
 * message is then on stderr and the exit code 1).
 */
export function updateOrganizationInDatabase(url: string, organizationId: string, patch: OrganizationPatch): Promise<Organization | undefined> {
  return withDatabase({ database: url }, async (domain) => {
    const invalid = patchError(patch);
    if (invalid !== undefined) throw badRequest(invalid);
    try {
      return await updateOrganization(domain, organizationId.toLowerCase(), patch, { actor: systemActor('org update') });
    } catch (err) {
      // The domain's "Organization not found" does not say which: the operator may have several.
      if (err instanceof ApiError && err.code === 'NOT_FOUND') throw notFound(`Organization ${organizationId}`);
      throw err;
    }
  });
}
