import type { Server } from 'node:http';
import { nativeAddon } from '../native-addon.js';

/**
 * Caps the kernel's send buffer (SO_SNDBUF) of every connection the server
 * accepts, by setting it on the listening socket: accepted sockets inherit it,
 * so no connection pays a system call. Without a cap, the kernel's autotuning
 * lets each connection hold up to 4 MiB of answers its client has not read:
 * bytes the guard's accounting (unsent-bytes.ts) cannot see, and copying them
 * took the server's only thread for seconds when a few hundred connections
 * each asked for a large answer and never read it. Answers the kernel will not
 * take stay in the process, where the guard counts and bounds them.
 * Where the addon was not built the kernel's default stays (server.ts warns).
 */
export function capSendBuffer(server: Server, bytes: number): void {
  // A listening TCP handle's descriptor; Node exposes SO_SNDBUF for UDP sockets only.
  const fd = (server as Server & { _handle?: { fd?: number } })._handle?.fd;
  const addon = nativeAddon();
  if (addon && typeof fd === 'number' && fd >= 0) addon.setSendBuffer(fd, bytes);
}
