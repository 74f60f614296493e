/**
 * The bounds on an organization's members and invitations, checked in the
 * same transaction as the change, under the organization's lock (documented
 * in the README).
 */
export const MAX_MEMBERS_PER_ORGANIZATION = 1000;
/** Open (unexpired) invitations; expired ones do not count. */
export const MAX_OPEN_INVITATIONS_PER_ORGANIZATION = 100;
