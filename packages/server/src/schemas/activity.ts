import { Type, type Static } from '@sinclair/typebox';
import { ACTIVITY_TYPES, KEY_UPDATE_TYPES } from '../vocabulary/activity-types.js';
import { DateTime, StringEnum, Uuid } from './common.js';

/** The vendor's actor types; orgplane records 'api' (API keys) and 'system' (operator CLI). */
export const ACTOR_TYPES = ['user', 'support', 'system', 'api'] as const;

export const ActivitySchema = Type.Object({
  id: Type.String(),
  createdAt: DateTime,
  type: StringEnum(ACTIVITY_TYPES),
  actorType: StringEnum(ACTOR_TYPES),
  actorId: Type.Optional(Type.String()),
  actorDetails: Type.Optional(Type.String()),
  actorIpAddress: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
  organizationId: Type.String(),
  serviceId: Type.Optional(Type.String()),
  targetKeyId: Type.Optional(Type.String()),
  keyUpdateType: Type.Optional(StringEnum(KEY_UPDATE_TYPES)),
});

/** Activity IDs are UUIDs (v7, time-ordered), matched case-insensitively like every other ID. */
export const ActivityParams = Type.Object({ organizationId: Uuid, activityId: Uuid }, { additionalProperties: false });

export const ActivityListQuery = Type.Object(
  {
    from_date: Type.Optional(Type.String({ description: 'RFC 3339 date-time or YYYY-MM-DD (start of that UTC day), inclusive' })),
    to_date: Type.Optional(Type.String({ description: 'RFC 3339 date-time or YYYY-MM-DD (end of that UTC day), inclusive' })),
  },
  { additionalProperties: false },
);

export type Activity = Static<typeof ActivitySchema>;
