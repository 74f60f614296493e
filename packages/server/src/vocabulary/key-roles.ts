/** The vendor's API key roles. */
export const KEY_ROLES = ['admin', 'developer', 'query_endpoints'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** The vendor's API key states. */
export const KEY_STATES = ['enabled', 'disabled'] as const;
export type KeyState = (typeof KEY_STATES)[number];
