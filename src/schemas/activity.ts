import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Uuid } from './common.js';

export const ActivitySchema = Type.Object({
  id: Type.String(),
  createdAt: DateTime,
  type: Type.String(),
  actorType: Type.String(),
  actorId: Type.Optional(Type.String()),
  actorDetails: Type.Optional(Type.String()),
  actorIpAddress: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
  organizationId: Type.String(),
  serviceId: Type.Optional(Type.String()),
  targetKeyId: Type.Optional(Type.String()),
  keyUpdateType: Type.Optional(Type.String()),
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
