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
