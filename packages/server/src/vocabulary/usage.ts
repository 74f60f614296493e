/** The vendor's UsageCostMetrics, in its order (the order records list them in). */
export const USAGE_METRICS = [
  'storageCHC',
  'backupCHC',
  'computeCHC',
  'dataTransferCHC',
  'initialLoadCHC',
  'publicDataTransferCHC',
  'interRegionTier1DataTransferCHC',
  'interRegionTier2DataTransferCHC',
  'interRegionTier3DataTransferCHC',
  'interRegionTier4DataTransferCHC',
] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/** The vendor's UsageCostRecord entityType. */
export const USAGE_ENTITY_TYPES = ['datawarehouse', 'service', 'clickpipe'] as const;
export type UsageEntityType = (typeof USAGE_ENTITY_TYPES)[number];

/**
 * A record is locked (immutable: a re-import refuses to replace it) once its
 * day is more than this many days before today on the server's clock, as the
 * vendor's records settle a few days after the fact.
 */
export const LOCKED_AFTER_DAYS = 2;

/** A period may end at most this many days after it starts: 31 days, both ends included (the vendor's bound). */
export const MAX_PERIOD_DAYS = 30;
