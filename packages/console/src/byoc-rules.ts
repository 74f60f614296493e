import ipaddr from 'ipaddr.js';
import type { CloudProvider } from './regions.js';

/**
 * What the server takes for a BYOC infrastructure (packages/server/src/domain/byoc/byoc-validation.ts and
 * vocabulary/byoc.ts: the same rules, the same library), so a bad field is named before the request is
 * sent. The server checks again and its 400 is shown as it is.
 */
export const ZONE_SUFFIXES = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
export const DEFAULT_ZONE_SUFFIXES = ['a', 'b', 'c'];
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';
const MIN_PREFIX = 16;
const MAX_PREFIX = 24;

export const ACCOUNT_RULES: Record<CloudProvider, { pattern: RegExp; rule: string; example: string }> = {
  aws: { pattern: /^\d{12}$/, rule: 'an AWS account ID is 12 digits', example: '123456789012' },
  gcp: {
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    rule: 'a GCP project ID is 6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    example: 'acme-analytics-eu',
  },
  azure: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    rule: 'an Azure subscription ID is a UUID',
    example: '0b5e9a3c-4d2f-4e8a-9c1b-7f6e5d4c3b2a',
  },
};

/** Why the account ID does not fit the provider, or undefined when it does. */
export function accountIdProblem(provider: CloudProvider, accountId: string): string | undefined {
  return ACCOUNT_RULES[provider].pattern.test(accountId) ? undefined : ACCOUNT_RULES[provider].rule;
}

/** Why the range is not one the server takes (a private IPv4 CIDR, /16 to /24, canonical), or undefined. */
export function vpcCidrProblem(cidr: string): string | undefined {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!match || !ipaddr.IPv4.isValidFourPartDecimal(match[1]!)) return `'${cidr}' is not an IPv4 CIDR such as 10.0.0.0/16`;
  const prefix = Number(match[2]);
  if (String(prefix) !== match[2] || prefix > 32) return `'${cidr}' is not an IPv4 CIDR such as 10.0.0.0/16`;
  if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) return `the prefix length must be from /${MIN_PREFIX} to /${MAX_PREFIX}, not /${prefix}`;
  const address = ipaddr.IPv4.parse(match[1]!);
  if (address.toString() !== match[1]) return `'${cidr}' is not in canonical form (no leading zeros)`;
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (network !== match[1]) return `'${cidr}' has host bits set; the range is written ${network}/${prefix}`;
  if (address.range() !== 'private') return `'${cidr}' is not a private range; use one within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)`;
  return undefined;
}
