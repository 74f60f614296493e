import type { WriteBatcher } from '../../db/write-batcher.js';
import type { Organization } from '../../schemas/organization.js';
import type { CloudProvider } from '../../vocabulary/cloud-regions.js';
import type { Initiator } from '../access.js';
import type { ApiError } from '../errors.js';

export type EndpointToAdd = { id: string; description: string; cloudProvider: CloudProvider; region: string };

/** One PATCH of an organization, as it waits in the batcher (organization-patch.ts). */
export interface PendingPatch {
  by: Initiator;
  name?: string;
  enableCoreDumps?: boolean;
  toAdd: EndpointToAdd[];
  toRemove: string[];
}

/** A refused PATCH of a batch is its error, so that the others of the batch still apply. */
export type PatchBatcher = WriteBatcher<string, PendingPatch, Organization | ApiError>;
