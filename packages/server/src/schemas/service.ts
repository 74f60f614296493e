import { Type, type Static } from '@sinclair/typebox';
import { MAX_SERVICE_VERSION_LENGTH, SERVICE_KINDS, SERVICE_STATES } from '../vocabulary/services.js';
import { MAX_TAG_VALUE_LENGTH, MAX_TAGS } from '../vocabulary/tags.js';
import { MAX_NAME_LENGTH, OPTIONAL_TEXT_PATTERN, TEXT_PATTERN } from '../vocabulary/text.js';
import { StringEnum } from './common.js';

/**
 * A service record: what `orgplane services add|list --json` print and a
 * fixture's `services` hold (with defaults for what it leaves out). Not part
 * of the vendor's API: no route answers it.
 */
export const ServiceRecordSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The service ID (clickhouse_service in Prometheus)' }),
    name: Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: TEXT_PATTERN }),
    kind: StringEnum(SERVICE_KINDS, { description: 'clickhouse or postgres' }),
    state: StringEnum(SERVICE_STATES, { description: 'As Prometheus reports it (clickhouse_cluster_status)' }),
    version: Type.String({ minLength: 1, maxLength: MAX_SERVICE_VERSION_LENGTH, pattern: TEXT_PATTERN, description: 'As Prometheus reports it (clickhouse_version)' }),
    // Keys are checked by the domain (vocabulary/tags.ts), which names the offending one.
    tags: Type.Record(Type.String(), Type.String({ maxLength: MAX_TAG_VALUE_LENGTH, pattern: OPTIONAL_TEXT_PATTERN }), {
      maxProperties: MAX_TAGS,
      description: 'Tag key → value',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export type ServiceRecord = Static<typeof ServiceRecordSchema>;
