/**
 * The dependency costs the grading table states are the code's: each
 * store's module (and the src/stores modules it imports) imports exactly
 * the packages listed, a package is native exactly when it ships a
 * binding.gyp, and every store kind of src/ has an entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { STORE_KINDS } from '../../src/session-store.ts';
import { defaultTarget } from '../deploy/target/default-target.ts';
import { dependencyCostOf, SRC_STORE_DEPENDENCIES, SRC_TARGET_NAME } from './store-dependencies.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STORES = path.join(ROOT, 'src', 'stores');
const specifiers = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s*import\s[^;]*?from\s*'([^']+)'/gm)].map((m) => m[1]!);

/** Packages imported by a store module and the src/stores modules it pulls in. */
function packagesOf(kind: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        if (target.startsWith(STORES) && !target.endsWith('.test.ts')) visit(target);
        continue;
      }
      packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(path.join(STORES, `${kind}-store.ts`));
  return [...packages].sort();
}

test.each([...STORE_KINDS])('%s: the packages stated are the ones its module imports', (kind) => {
  const stated = SRC_STORE_DEPENDENCIES[kind];
  expect(stated, `no dependency cost stated for ${kind}`).toBeDefined();
  expect(packagesOf(kind)).toEqual([...stated!.packages].sort());
  const native = stated!.packages.some((pkg) => existsSync(path.join(ROOT, 'node_modules', pkg, 'binding.gyp')));
  expect(native).toBe(stated!.native);
});

test('stated for src/ only: another target\'s stores are not described', () => {
  expect(SRC_TARGET_NAME).toBe(defaultTarget.name);
  expect(dependencyCostOf(defaultTarget.name, 'sqlite')).toMatch(/compiles SQLite from source/);
  expect(dependencyCostOf('their-server', 'sqlite')).toMatch(/^not stated/);
});
