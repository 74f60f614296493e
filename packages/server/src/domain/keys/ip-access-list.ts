import ipaddr from 'ipaddr.js';

export type IpRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses an allow-list source (IPv4/IPv6 address or CIDR); throws on anything else. */
export function parseIpSource(source: string): IpRange {
  const [host = '', prefix] = source.split('/', 2);
  // ipaddr also takes legacy forms such as "127.1" or "0x7f.1"; only dotted quads and IPv6 are sources.
  if (!ipaddr.IPv4.isValidFourPartDecimal(host) && !ipaddr.IPv6.isValid(host)) throw new Error(`invalid IP address: ${source}`);
  const [address, bits] = prefix !== undefined ? ipaddr.parseCIDR(source) : [ipaddr.parse(host), host.includes(':') ? 128 : 32];
  // An IPv4-mapped entry (::ffff:127.0.0.1, ::ffff:10.0.0.0/104) means its IPv4 address or range.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

export function isValidIpSource(source: string): boolean {
  try {
    parseIpSource(source);
    return true;
  } catch {
    return false;
  }
}

/** An empty list allows every address. IPv4-mapped IPv6 client addresses (::ffff:a.b.c.d) match IPv4 entries. */
export function ipAllowed(ip: string, allowList: IpRange[]): boolean {
  if (allowList.length === 0) return true;
  if (!ipaddr.isValid(ip)) return false;
  const address = ipaddr.process(ip);
  return allowList.some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
}
