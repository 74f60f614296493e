import { Type } from '@sinclair/typebox';
import { StringEnum } from './common.js';

export const PrometheusQuery = Type.Object(
  {
    filtered_metrics: Type.Optional(StringEnum(['true', 'false'] as const, { description: 'Return the filtered list of metrics: true or false (default false)' })),
  },
  { additionalProperties: false },
);
