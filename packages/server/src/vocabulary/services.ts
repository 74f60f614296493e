// The service records an operator or a seed gives an organization (orgplane hosts no services).

export const SERVICE_KINDS = ['clickhouse', 'postgres'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** The vendor's service states that a running organization shows most (its Service.state enum has more). */
export const SERVICE_STATES = ['running', 'idle', 'stopped', 'degraded', 'awaking'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const DEFAULT_SERVICE_KIND: ServiceKind = 'clickhouse';
export const DEFAULT_SERVICE_STATE: ServiceState = 'running';
/** A ClickHouse Cloud release line of the time; any text goes, it is only reported (as clickhouse_version). */
export const DEFAULT_SERVICE_VERSION = '25.8';

export const MAX_SERVICE_VERSION_LENGTH = 64;
