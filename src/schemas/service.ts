import { Type, type Static } from '@sinclair/typebox';
import { MAX_SERVICE_VERSION_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS_PER_SERVICE, SERVICE_KINDS, SERVICE_STATES } from '../domain/services/service-record.js';
import { MAX_NAME_LENGTH, OPTIONAL_TEXT_PATTERN, TEXT_PATTERN } from '../domain/text.js';
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
    // Keys are checked by the domain (non-blank, no control characters), which names the offending one.
    tags: Type.Record(Type.String(), Type.String({ maxLength: MAX_TAG_VALUE_LENGTH, pattern: OPTIONAL_TEXT_PATTERN }), {
      maxProperties: MAX_TAGS_PER_SERVICE,
      description: 'Tag key → value',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export type ServiceRecord = Static<typeof ServiceRecordSchema>;
