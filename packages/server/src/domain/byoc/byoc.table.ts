import type { Generated, Selectable } from 'kysely';

export interface ByocInfrastructureTable {
  organization_id: string;
  id: string;
  /**
   * The state it was written with. Only rows without instants (written before
   * the lifecycle existed) are read with it; every other row's state is
   * derived from the instants below on the server's clock.
   */
  state: string;
  /** The cloud account ID (the vendor's accountName shows it). */
  account_name: string;
  region_id: string;
  cloud_provider: string;
  display_name: string;
  /** Creation order, the order they are listed in. */
  position: number;
  /** ISO-8601 UTC text, as every instant; null on rows written before the lifecycle. */
  created_at: string | null;
  /** When provisioning ends: infra-ready from this instant on. */
  ready_at: string | null;
  /** When it was deleted: infra-terminated from then, and gone from reads once the visibility window has passed. */
  terminated_at: string | null;
  /** A JSON array of zone suffixes ("a" … "f"); the documented default on rows from before the lifecycle. */
  availability_zone_suffixes: Generated<string>;
  vpc_cidr_range: Generated<string>;
}

export type ByocInfrastructureRow = Selectable<ByocInfrastructureTable>;
