/** The vendor's API key roles. */
export const KEY_ROLES = ['admin', 'developer', 'query_endpoints'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export function isKeyRole(value: string): value is KeyRole {
  return (KEY_ROLES as readonly string[]).includes(value);
}
