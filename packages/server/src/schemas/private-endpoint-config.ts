import { Type, type Static } from '@sinclair/typebox';
import { CLOUD_PROVIDERS, CLOUD_REGIONS } from '../vocabulary/cloud-regions.js';
import { StringEnum } from './common.js';

/** Both required; the region must also be one of the provider's (checked by the service, which names region_id). */
export const PrivateEndpointConfigQuery = Type.Object(
  {
    cloud_provider: StringEnum(CLOUD_PROVIDERS, { description: 'Cloud provider: aws, gcp or azure' }),
    region_id: StringEnum(CLOUD_REGIONS, { description: 'A region of that cloud provider, e.g. us-east-1 (aws), us-central1 (gcp), eastus (azure)' }),
  },
  { additionalProperties: false },
);

/** The vendor's OrganizationCloudRegionPrivateEndpointConfig. */
export const PrivateEndpointConfigSchema = Type.Object({
  endpointServiceId: Type.String({
    description:
      'The endpoint service to connect a private endpoint to: an AWS VPC endpoint service name, a GCP service attachment or an Azure Private Link service alias',
  }),
});

export type PrivateEndpointConfig = Static<typeof PrivateEndpointConfigSchema>;
