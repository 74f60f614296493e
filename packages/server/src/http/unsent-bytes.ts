import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionLimits } from '../config.js';

/**
 * Unsent bytes of one connection over which its next requests wait (it is not
 * read) until its client takes more of its answers.
 */
export const MAX_UNSENT_BYTES_PER_CONNECTION = 1024 * 1024;
/** How far back a connection's reading is measured against the minimum read rate. */
export const READ_RATE_WINDOW_MS = 10_000;
/**
 * A connection whose client took at least this many bytes since the previous
 * pass is taking its answers, not holding them: it is not shed, however much
 * it still owes (a large answer read at full speed, such as the emulator's
 * journal, is not cut off); it is still counted, so its address's next
 * requests wait.
 */
export const DRAINING_BYTES_PER_PASS = 1024 * 1024;

/** What the accounting needs of a connection (see connection-guard.ts). */
export interface HeldConnection {
  socket: Socket;
  /** The address counted against the per-address bound; undefined for a trusted proxy. */
  address: string | undefined;
  /** Answers handed over whose last byte the kernel has not taken, oldest first. */
  responses: ServerResponse[];
  /** Its next requests are not handed over (over its own bound or its address's, at the last sweep). */
  blocked: boolean;
  /** Bytes of answers at the last sweep that the kernel had not taken. */
  held: number;
  /** When the last sweep first found it owing bytes (0: it owed none). */
  owingSince: number;
  /** Start of the current read-rate window, and the bytes the kernel had taken by then. */
  windowStart: number;
  takenAtWindowStart: number;
  /** Bytes the kernel had taken at the previous pass. */
  takenAtLastPass: number;
}

/**
 * Bytes the server wrote for a connection that the kernel has not taken: the
 * socket's queue plus the answers of pipelined requests waiting for the
 * socket (Node keeps those in each response). An answer is counted whole even
 * when its Buffer is shared with other answers (a static asset): the bound is
 * on what a client makes the server keep for it.
 */
export function unsentBytes(conn: HeldConnection): number {
  let held = conn.socket.writableLength;
  for (const res of conn.responses) if (!res.socket) held += res.writableLength;
  return held;
}

/** Bytes of this connection's answers the kernel has taken so far. */
function takenBytes(socket: Socket): number {
  return socket.bytesWritten - socket.writableLength;
}

/**
 * One pass over every open connection, once a second, off the request path:
 * a request only reads the connection's `blocked` flag and its socket's queue
 * length. The pass
 * - closes a connection that has owed bytes for a whole READ_RATE_WINDOW_MS
 *   while its client took fewer than the minimum rate's share of them (a
 *   client trickling its reads keeps Node's idle timeout from firing);
 * - over an address's bound, blocks its connections' next requests and closes
 *   its connections that have owed bytes longest until it is back under it;
 * - over the total bound, closes the longest-owing connections of any address;
 *   in both, a connection still draining (DRAINING_BYTES_PER_PASS) is not shed;
 * - blocks, until the next pass, a connection over its own bound.
 * `blockedAddresses` is filled with the addresses over their bound, whose new
 * connections start blocked too. Returns the connections whose block was
 * lifted, to be served again.
 */
export function sweepUnsent(
  connections: Iterable<HeldConnection>,
  limits: ConnectionLimits,
  now: number,
  close: (conn: HeldConnection) => void,
  blockedAddresses: Set<string>,
): HeldConnection[] {
  const minTaken = (limits.minReadBytesPerSecond * READ_RATE_WINDOW_MS) / 1000;
  const owing: HeldConnection[] = [];
  const perAddress = new Map<string, number>();
  let total = 0;
  for (const conn of connections) {
    const held = unsentBytes(conn);
    conn.held = held;
    const taken = takenBytes(conn.socket);
    const draining = taken - conn.takenAtLastPass >= DRAINING_BYTES_PER_PASS;
    conn.takenAtLastPass = taken;
    if (held === 0) {
      conn.owingSince = 0;
      conn.windowStart = 0;
      continue;
    }
    // An answer first seen owing gets a pass to show it is being taken before it can be shed.
    const owedBefore = conn.windowStart !== 0;
    if (conn.windowStart === 0) {
      conn.owingSince = now;
      conn.windowStart = now;
      conn.takenAtWindowStart = taken;
    } else if (now - conn.windowStart >= READ_RATE_WINDOW_MS) {
      if (taken - conn.takenAtWindowStart < minTaken) {
        close(conn);
        continue;
      }
      conn.windowStart = now;
      conn.takenAtWindowStart = taken;
    }
    if (owedBefore && !draining) owing.push(conn);
    total += held;
    if (conn.address !== undefined) perAddress.set(conn.address, (perAddress.get(conn.address) ?? 0) + held);
  }
  // Longest-owing first: those are shed first (of the connections not draining).
  owing.sort((a, b) => a.owingSince - b.owingSince);
  blockedAddresses.clear();
  for (const [address, held] of perAddress) {
    if (held <= limits.maxUnsentBytesPerAddress) continue;
    blockedAddresses.add(address);
    let left = held;
    for (const conn of owing) {
      if (left <= limits.maxUnsentBytesPerAddress) break;
      if (conn.address !== address || conn.socket.destroyed) continue;
      left -= conn.held;
      total -= conn.held;
      close(conn);
    }
  }
  for (const conn of owing) {
    if (total <= limits.maxUnsentBytes) break;
    if (conn.socket.destroyed) continue;
    total -= conn.held;
    close(conn);
  }
  const released: HeldConnection[] = [];
  for (const conn of connections) {
    const blocked = conn.held > MAX_UNSENT_BYTES_PER_CONNECTION || (conn.address !== undefined && blockedAddresses.has(conn.address));
    if (conn.blocked && !blocked) released.push(conn);
    conn.blocked = blocked;
  }
  return released;
}
