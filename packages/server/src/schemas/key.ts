import { Type, type Static } from '@sinclair/typebox';
import { KEY_ROLES, KEY_STATES } from '../vocabulary/key-roles.js';
import { OPTIONAL_TEXT_PATTERN, SHA256_BASE64_PATTERN, TEXT_PATTERN } from '../vocabulary/text.js';
import { DateTime, StringEnum, Uuid } from './common.js';
import { AssignedRoleIds, AssignedRoleSchema } from './role.js';

// Field names and enums follow the vendor's ApiKey* schemas. A key's access
// is its assignedRoles; the deprecated `roles` are derived from them (the
// system roles that carry admin, developer and query_endpoints).

const KeyRole = StringEnum(KEY_ROLES);
const KeyState = StringEnum(KEY_STATES);
const Name = Type.String({ minLength: 1, maxLength: 255, pattern: TEXT_PATTERN });
const Roles = Type.Array(KeyRole, { minItems: 1, maxItems: 3 });
// Absent, null or "" (the vendor's words) all mean: never expires.
const ExpireAt = Type.Union([DateTime, Type.Literal(''), Type.Null()]);
const Sha256Base64 = Type.String({ pattern: SHA256_BASE64_PATTERN });

const IpAccessListEntryInput = Type.Object(
  { source: Type.String({ minLength: 1, maxLength: 64 }), description: Type.Optional(Type.String({ maxLength: 255, pattern: OPTIONAL_TEXT_PATTERN })) },
  { additionalProperties: false },
);
const IpAccessListInput = Type.Array(IpAccessListEntryInput, { maxItems: 100 });

export const IpAccessListEntrySchema = Type.Object({ source: Type.String(), description: Type.Optional(Type.String()) });

export const ApiKeySchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  state: KeyState,
  roles: Type.Array(KeyRole),
  assignedRoles: Type.Array(AssignedRoleSchema),
  keySuffix: Type.String(),
  createdAt: DateTime,
  expireAt: Type.Union([DateTime, Type.Null()]),
  usedAt: Type.Optional(DateTime),
  ipAccessList: Type.Array(IpAccessListEntrySchema),
});

export const ApiKeyPostResponseSchema = Type.Object({
  key: ApiKeySchema,
  keyId: Type.Optional(Type.String()),
  keySecret: Type.Optional(Type.String()),
});

export const ApiKeyHashData = Type.Object(
  {
    keyIdHash: Sha256Base64,
    keyIdSuffix: Type.String({ minLength: 4, maxLength: 4, pattern: TEXT_PATTERN }),
    keySecretHash: Sha256Base64,
  },
  { additionalProperties: false },
);

export const ApiKeyPostRequest = Type.Object(
  {
    name: Name,
    roles: Type.Optional(Roles),
    assignedRoleIds: Type.Optional(AssignedRoleIds),
    state: Type.Optional(KeyState),
    expireAt: Type.Optional(ExpireAt),
    hashData: Type.Optional(ApiKeyHashData),
    ipAccessList: Type.Optional(IpAccessListInput),
  },
  { additionalProperties: false },
);

export const ApiKeyPatchRequest = Type.Object(
  {
    name: Type.Optional(Name),
    roles: Type.Optional(Roles),
    assignedRoleIds: Type.Optional(AssignedRoleIds),
    state: Type.Optional(KeyState),
    expireAt: Type.Optional(ExpireAt),
    ipAccessList: Type.Optional(IpAccessListInput),
  },
  { additionalProperties: false },
);

export const KeyParams = Type.Object({ organizationId: Uuid, keyId: Uuid }, { additionalProperties: false });

export type ApiKey = Static<typeof ApiKeySchema>;
export type ApiKeyPostResponse = Static<typeof ApiKeyPostResponseSchema>;
export type KeyPatch = Static<typeof ApiKeyPatchRequest>;
export type KeyPost = Static<typeof ApiKeyPostRequest>;
export type IpAccessListEntry = Static<typeof IpAccessListEntrySchema>;
