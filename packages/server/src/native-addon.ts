import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { orgplanePackage } from './version.js';

/** orgplane's own addon (native/), built by `npm install` where a C compiler is at hand. */
export interface NativeAddon {
  /** The first `length` bytes of an open file, mapped read-only and shared (native/wal_index.c). */
  map(fd: number, length: number): ArrayBuffer;
  /** Sets a socket's SO_SNDBUF; answers the size the kernel set (native/send_buffer.c). */
  setSendBuffer(fd: number, bytes: number): number;
}

let loaded: { addon: NativeAddon | undefined } | undefined;

/** The addon, or undefined where it was not built (no compiler, another platform); each user says what it does without. */
export function nativeAddon(): NativeAddon | undefined {
  loaded ??= { addon: load() };
  return loaded.addon;
}

function load(): NativeAddon | undefined {
  try {
    const path = fileURLToPath(new URL('build/Release/orgplane.node', orgplanePackage().root));
    return createRequire(import.meta.url)(path) as NativeAddon;
  } catch {
    return undefined;
  }
}
