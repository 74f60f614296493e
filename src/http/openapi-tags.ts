/**
 * Operation groups of the OpenAPI document. The names are the vendor's (its
 * document files activities under "Organization" and API keys under
 * "OpenAPI"), so the docs read like the vendor's reference; the descriptions
 * are ours. Each endpoint declares its own.
 */
export const OPENAPI_TAGS = [
  { name: 'Organization', description: 'The organization of the API key: its details, private endpoints and activity log.' },
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
