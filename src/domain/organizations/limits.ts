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
