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
