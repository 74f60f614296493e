/**
 * Operation groups of the OpenAPI document. The names are the vendor's (its
 * document files activities under "Organization" and API keys under
 * "OpenAPI"), so the docs read like the vendor's reference; the descriptions
 * are ours. Keyed by operationId, not by route, so route files stay unaware of it.
 */
export const OPENAPI_TAGS = [
  { name: 'Organization', description: 'The organization of the API key: its details, private endpoints, BYOC infrastructures and activity log.' },
  { name: 'OpenAPI', description: 'API keys of the organization: create, list, change, disable and delete them.' },
  { name: 'Role Management', description: 'System and custom roles: their policies (permissions on resources) and who holds them.' },
  { name: 'User management', description: 'Members of the organization and invitations to join it.' },
  { name: 'Health', description: 'Load-balancer probes of this orgplane instance; not part of the vendor API, no authentication.' },
  {
    name: 'Emulator controls',
    description:
      "orgplane's own, not the vendor's: seed, reset and snapshot the state, drive the clock, inject faults, read the request journal. Served only with `serve --controls`.",
  },
] as const;

/** The tag of the operations that exist only with `serve --controls`. */
export const CONTROLS_TAG: OpenApiTag = 'Emulator controls';

export type OpenApiTag = (typeof OPENAPI_TAGS)[number]['name'];

const TAG_BY_OPERATION: Record<string, OpenApiTag> = {
  organizationGetList: 'Organization',
  organizationGet: 'Organization',
  organizationUpdate: 'Organization',
  organizationPrivateEndpointConfigGetList: 'Organization',
  organizationByocInfrastructureCreate: 'Organization',
  organizationByocInfrastructureUpdate: 'Organization',
  organizationByocInfrastructureDelete: 'Organization',
  activityGetList: 'Organization',
  activityGet: 'Organization',
  openapiKeyGetList: 'OpenAPI',
  openapiKeyCreate: 'OpenAPI',
  openapiKeyGet: 'OpenAPI',
  openapiKeyUpdate: 'OpenAPI',
  openapiKeyDelete: 'OpenAPI',
  organizationRolesGetList: 'Role Management',
  organizationRolePost: 'Role Management',
  organizationRoleGet: 'Role Management',
  organizationRolePatch: 'Role Management',
  organizationRoleDelete: 'Role Management',
  memberGetList: 'User management',
  memberGet: 'User management',
  memberUpdate: 'User management',
  memberDelete: 'User management',
  invitationGetList: 'User management',
  invitationCreate: 'User management',
  invitationGet: 'User management',
  invitationDelete: 'User management',
  health: 'Health',
  ready: 'Health',
  controlsClockGet: 'Emulator controls',
  controlsClockSet: 'Emulator controls',
  controlsClockAdvance: 'Emulator controls',
  controlsClockDelete: 'Emulator controls',
  controlsSeed: 'Emulator controls',
  controlsReset: 'Emulator controls',
  controlsSnapshot: 'Emulator controls',
  controlsFixtureSchema: 'Emulator controls',
  controlsFaultsGet: 'Emulator controls',
  controlsFaultsSet: 'Emulator controls',
  controlsFaultsDelete: 'Emulator controls',
  controlsRequestsGetList: 'Emulator controls',
  controlsRequestsDelete: 'Emulator controls',
};

/** The tags of an operation, or undefined for one not listed (the document test names it). */
export function tagsFor(operationId: string | undefined): OpenApiTag[] | undefined {
  const tag = operationId === undefined ? undefined : TAG_BY_OPERATION[operationId];
  return tag ? [tag] : undefined;
}
