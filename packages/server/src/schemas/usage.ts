import { Type, type Static } from '@sinclair/typebox';
import { USAGE_ENTITY_TYPES } from '../vocabulary/usage.js';
import { StringEnum, Uuid } from './common.js';

export const UsageCostQuery = Type.Object(
  {
    from_date: Type.String({ format: 'date', description: 'First day of the period (UTC), e.g. 2024-12-19' }),
    to_date: Type.String({ format: 'date', description: 'Last day of the period (UTC, inclusive), at most 30 days after from_date' }),
    // One value arrives as a string, a repeated parameter as an array: both are accepted.
    filter: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], { description: 'tag:Key=Value; repeat the parameter for several, all of which must match' }),
    ),
  },
  { additionalProperties: false },
);

const Chc = (description: string) => Type.Number({ description: `${description}, in ClickHouse Credits (CHCs)` });

/** The vendor's UsageCostMetrics (the order of USAGE_METRICS); a record has only the metrics it was given. */
export const UsageCostMetricsSchema = Type.Object(
  {
    storageCHC: Type.Optional(Chc('Storage (datawarehouse entities)')),
    backupCHC: Type.Optional(Chc('Backup (datawarehouse entities)')),
    computeCHC: Type.Optional(Chc('Compute (service and clickpipe entities)')),
    dataTransferCHC: Type.Optional(Chc('Data transfer (clickpipe entities)')),
    initialLoadCHC: Type.Optional(Chc('Initial load and resyncs (clickpipe entities)')),
    publicDataTransferCHC: Type.Optional(Chc('Public data transfer (service entities)')),
    interRegionTier1DataTransferCHC: Type.Optional(Chc('Tier 1 inter-region data transfer (service entities)')),
    interRegionTier2DataTransferCHC: Type.Optional(Chc('Tier 2 inter-region data transfer (service entities)')),
    interRegionTier3DataTransferCHC: Type.Optional(Chc('Tier 3 inter-region data transfer (service entities)')),
    interRegionTier4DataTransferCHC: Type.Optional(Chc('Tier 4 inter-region data transfer (service entities)')),
  },
  { additionalProperties: false },
);

export const UsageCostRecordSchema = Type.Object({
  dataWarehouseId: Uuid,
  serviceId: Type.Union([Uuid, Type.Null()]),
  date: Type.String({ format: 'date' }),
  entityType: StringEnum(USAGE_ENTITY_TYPES),
  entityId: Uuid,
  entityName: Type.String(),
  metrics: UsageCostMetricsSchema,
  totalCHC: Chc('The sum of the metrics'),
  locked: Type.Boolean({ description: 'Whether the record can no longer change (its day is more than 2 days before today, UTC)' }),
});

export const UsageCostSchema = Type.Object({
  grandTotalCHC: Chc('The sum of the totalCHC of the records'),
  costs: Type.Array(UsageCostRecordSchema),
});

export type UsageCost = Static<typeof UsageCostSchema>;
