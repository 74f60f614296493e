import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// The layering README.md's "Layout" describes, read from the import statements
// of src/ (type imports included): a change that breaks it fails here, not in review.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each file of src/ (relative to it, without extension) → the files of src/ it imports. */
const imports = new Map<string, string[]>(
  sourceFiles(SRC).map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\b[^'"]*?from '(\.[^']+)\.js';/gm)].map((m) => relative(SRC, resolve(dirname(file), m[1]!)));
    return [relative(SRC, file).replace(/\.ts$/, ''), targets];
  }),
);

const layerOf = (file: string): string => file.split('/')[0]!;

describe('layering of src/', () => {
  it('reads the imports of every source file', () => {
    assert.ok(imports.size > 150, `${imports.size} files`);
    assert.ok(imports.get('app')!.includes('http/routes/index'), 'app.ts imports the route list');
  });

  it('vocabulary/ (limits, patterns, enums) imports nothing of orgplane but itself', () => {
    for (const [file, targets] of imports) {
      if (layerOf(file) !== 'vocabulary') continue;
      for (const target of targets) assert.equal(layerOf(target), 'vocabulary', `${file} imports ${target}`);
    }
  });

  it('schemas/ imports only schemas/ and vocabulary/', () => {
    for (const [file, targets] of imports) {
      if (layerOf(file) !== 'schemas') continue;
      for (const target of targets) assert.ok(['schemas', 'vocabulary'].includes(layerOf(target)), `${file} imports ${target}`);
    }
  });

  it('nothing below http/ (domain/, db/, schemas/, vocabulary/) imports http/', () => {
    for (const [file, targets] of imports) {
      if (!['domain', 'db', 'schemas', 'vocabulary'].includes(layerOf(file))) continue;
      for (const target of targets) assert.notEqual(layerOf(target), 'http', `${file} imports ${target}`);
    }
  });

  it('has no import cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      assert.notEqual(state.get(file), 'open', `import cycle: ${[...path.slice(path.indexOf(file)), file].join(' → ')}`);
      state.set(file, 'open');
      for (const target of imports.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of imports.keys()) visit(file, []);
  });
});
