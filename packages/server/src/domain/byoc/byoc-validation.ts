import ipaddr from 'ipaddr.js';
import type { CloudProvider } from '../../vocabulary/cloud-regions.js';
import { badRequest } from '../errors.js';
import { MAX_VPC_PREFIX_LENGTH, MIN_VPC_PREFIX_LENGTH } from '../../vocabulary/byoc.js';

const ACCOUNT_RULES: Record<CloudProvider, { pattern: RegExp; rule: string }> = {
  aws: { pattern: /^\d{12}$/, rule: 'an AWS account ID is 12 digits' },
  gcp: {
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    rule: 'a GCP project ID is 6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
  },
  azure: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    rule: 'an Azure subscription ID is a UUID such as 0b5e9a3c-4d2f-4e8a-9c1b-7f6e5d4c3b2a',
  },
};

/**
 * The account ID as stored, or a 400 naming `field` when it does not fit the
 * region's provider. Azure subscription IDs are case-insensitive, so they are
 * kept in lower case: the same subscription in other case is the same account.
 */
export function validAccountId(provider: CloudProvider, accountId: string, field: string): string {
  const { pattern, rule } = ACCOUNT_RULES[provider];
  if (!pattern.test(accountId)) throw badRequest(`Invalid field '${field}': ${rule}`);
  return provider === 'azure' ? accountId.toLowerCase() : accountId;
}

/** Each suffix at most once; a 400 naming the first repeated one. */
export function validZoneSuffixes(suffixes: readonly string[], field: string): string[] {
  const seen = new Set<string>();
  suffixes.forEach((suffix, i) => {
    if (seen.has(suffix)) throw badRequest(`Invalid field '${field}[${i}]': '${suffix}' is listed twice; each zone suffix may appear once`);
    seen.add(suffix);
  });
  return [...suffixes];
}

const PRIVATE_RANGES = '10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16';

/**
 * A private (RFC 1918) IPv4 CIDR with a prefix length the VPC allows, written
 * canonically: dotted decimal without leading zeros and no host bits set, so
 * that one range has one spelling.
 */
export function validVpcCidr(cidr: string, field: string): string {
  const invalid = (why: string) => badRequest(`Invalid field '${field}': ${why}`);
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!match || !ipaddr.IPv4.isValidFourPartDecimal(match[1]!)) throw invalid(`'${cidr}' is not an IPv4 CIDR such as 10.0.0.0/16`);
  const prefix = Number(match[2]);
  if (String(prefix) !== match[2] || prefix > 32) throw invalid(`'${cidr}' is not an IPv4 CIDR such as 10.0.0.0/16`);
  if (prefix < MIN_VPC_PREFIX_LENGTH || prefix > MAX_VPC_PREFIX_LENGTH) {
    throw invalid(`the prefix length must be from /${MIN_VPC_PREFIX_LENGTH} to /${MAX_VPC_PREFIX_LENGTH}, not /${prefix}`);
  }
  const address = ipaddr.IPv4.parse(match[1]!);
  if (address.toString() !== match[1]) throw invalid(`'${cidr}' is not in canonical form (no leading zeros)`);
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (network !== match[1]) throw invalid(`'${cidr}' has host bits set; the range is written ${network}/${prefix}`);
  if (address.range() !== 'private') throw invalid(`'${cidr}' is not a private range; use one within ${PRIVATE_RANGES} (RFC 1918)`);
  return cidr;
}

/** The display name of an infrastructure created without one. */
export function defaultDisplayName(regionId: string, accountId: string): string {
  return `BYOC ${regionId} ${accountId}`;
}
