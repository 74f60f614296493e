import { readFileSync } from 'node:fs';

/**
 * The directory of orgplane's package.json: the nearest one named orgplane
 * above this module, which is found the same way from src/, dist/ and the
 * bundle.
 */
export function orgplanePackage(): { root: URL; version: string } {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'orgplane' && pkg.version) return { root: dir, version: pkg.version };
    } catch {
      // No package.json here: look further up.
    }
    if (dir.pathname === '/') throw new Error("orgplane's package.json was not found");
  }
}

/** orgplane's version, from its package.json. */
export function orgplaneVersion(): string {
  return orgplanePackage().version;
}
