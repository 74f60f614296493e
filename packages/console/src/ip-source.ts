import ipaddr from 'ipaddr.js';

/**
 * Whether an IP allow-list source is one the server takes (packages/server/src/domain/keys/ip-access-list.ts,
 * the same library and the same rule): a dotted-quad IPv4 or an IPv6 address, optionally with a /prefix.
 * The server checks again; this only names the bad entry before the request is sent.
 */
export function isValidIpSource(source: string): boolean {
  const [host = '', prefix] = source.split('/', 2);
  if (!ipaddr.IPv4.isValidFourPartDecimal(host) && !ipaddr.IPv6.isValid(host)) return false;
  if (prefix === undefined) return true;
  try {
    ipaddr.parseCIDR(source);
    return true;
  } catch {
    return false;
  }
}
