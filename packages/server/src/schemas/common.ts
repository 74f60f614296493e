import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

// The wire format, one file per resource. Field names and enums follow the
// vendor's published OpenAPI document. These schemas validate requests,
// serialise responses (as allow-lists: the serializer drops anything not named
// here, so a hash can never leak by accident), type the domain's API shapes
// and generate the OpenAPI document and, from it, the typed client.

/** A string enum as JSON Schema's `enum` (clear errors listing the allowed values; an enum in OpenAPI, as the vendor's). */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/**
 * What the `uuid` format accepts: a bare UUID in either case (ajv-formats' own also takes a
 * "urn:uuid:" prefix, which no ID of the API has). Every Ajv instance that checks these schemas adds it.
 */
export const UUID_FORMAT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const Uuid = Type.String({ format: 'uuid' });
export const DateTime = Type.String({ format: 'date-time' });

/** The success envelope around a route's result. */
export function envelope<T extends TSchema>(result: T) {
  return Type.Object({ status: Type.Number(), requestId: Type.String({ format: 'uuid' }), result });
}

/** The success envelope of a route that returns no result (e.g. DELETE). */
export const EmptyEnvelope = Type.Object({ status: Type.Number(), requestId: Type.String({ format: 'uuid' }) });

export const ErrorEnvelope = Type.Object({ status: Type.Number(), error: Type.String(), requestId: Type.String({ format: 'uuid' }) });
