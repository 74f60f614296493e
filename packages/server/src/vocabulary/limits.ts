/**
 * The bounds on what callers can grow through the roles API, checked in the
 * same transaction as the change (documented in the README).
 */
export const MAX_CUSTOM_ROLES_PER_ORGANIZATION = 100;
export const MAX_POLICIES_PER_ROLE = 20;
export const MAX_PERMISSIONS_PER_POLICY = 50;
export const MAX_RESOURCES_PER_POLICY = 20;
/**
 * tags.grants of one policy: every role list carries them for every policy of
 * every role, so they are kept to what naming a few databases needs.
 */
export const MAX_GRANT_TAGS_PER_POLICY = 20;
export const MAX_GRANT_TAG_LENGTH = 128;
/** Every key (at most 100) and every member (at most 1,000) of an organization. */
export const MAX_ACTORS_PER_ROLE = 1100;
export const MAX_ASSIGNED_ROLES = 20;

/**
 * The bounds on an organization's members and invitations, checked in the
 * same transaction as the change, under the organization's lock (documented
 * in the README).
 */
export const MAX_MEMBERS_PER_ORGANIZATION = 1000;
/** Open (unexpired) invitations; expired ones do not count. */
export const MAX_OPEN_INVITATIONS_PER_ORGANIZATION = 100;

/**
 * The bounds on what callers can grow through PATCH /v1/organizations/{id},
 * chosen so that a full organization's document stays well under 1 MB
 * whatever the text (documented in the README). The count is checked in the
 * same transaction as the change, under the organization's lock.
 */
export const MAX_PRIVATE_ENDPOINTS_PER_ORGANIZATION = 1000;
/** Entries of privateEndpoints.add or .remove in one PATCH. */
export const MAX_PRIVATE_ENDPOINTS_PER_PATCH = 100;
/** A cloud provider's endpoint ID (vpce-…, a GUID, a PSC connection number) is far shorter. */
export const MAX_PRIVATE_ENDPOINT_ID_LENGTH = 64;
/**
 * What `remove` accepts: the ID bound before there was a tighter one for
 * `add`, so an endpoint stored then can still be removed.
 */
export const MAX_REMOVED_PRIVATE_ENDPOINT_ID_LENGTH = 255;
export const MAX_PRIVATE_ENDPOINT_DESCRIPTION_LENGTH = 128;

/** API keys per organization: the vendor's published quota. */
export const MAX_KEYS_PER_ORGANIZATION = 100;
