import { readFileSync } from 'node:fs';

/**
 * orgplane's version, from its package.json: the nearest one named orgplane
 * above this module, which is found the same way from src/, dist/ and the
 * bundle.
 */
export function orgplaneVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'orgplane' && pkg.version) return pkg.version;
    } catch {
      // No package.json here: look further up.
    }
    if (dir.pathname === '/') throw new Error("orgplane's package.json was not found");
  }
}
