/**
 * Packages the server imports that cannot be bundled into an ES module: a
 * native addon (a binding.gyp, or `gypfile` in their package.json: esbuild
 * cannot bundle a .node file), or CommonJS code that reads __dirname or
 * __filename (which a bundle would change under it, or leave undefined).
 * The compiled entries leave these in node_modules. Found where Node would
 * find them, walking up from the server's folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from './source-files.ts';

const BARE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]((?:@[\w.-]+\/)?[\w.-][\w.-]*)(?:\/[^'"]*)?['"]/gm;

/** The package names the files import (not node: built-ins, not relative paths). */
export function importedPackages(files: readonly SourceFile[]): string[] {
  const names = new Set<string>();
  for (const { text } of files) for (const m of text.matchAll(BARE_IMPORT)) if (!m[1]!.startsWith('node:') && !m[1]!.startsWith('.')) names.add(m[1]!);
  return [...names].sort();
}

export function unbundlablePackages(root: string, files: readonly SourceFile[]): string[] {
  return importedPackages(files).filter((name) => {
    const dir = packageDir(root, name);
    if (!dir) return false;
    if (existsSync(path.join(dir, 'binding.gyp'))) return true;
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { gypfile?: boolean }).gypfile === true) return true;
    } catch {
      return false;
    }
    return readsOwnLocation(dir);
  });
}

const MAX_SCANNED = 400;

/** Some CommonJS file of the package (not of its own node_modules) reads __dirname or __filename. */
function readsOwnLocation(dir: string): boolean {
  let scanned = 0;
  const visit = (folder: string): boolean => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (scanned >= MAX_SCANNED) return false;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.') && visit(full)) return true;
      } else if (/\.c?js$/.test(entry.name)) {
        scanned += 1;
        if (/\b__(?:dirname|filename)\b/.test(readFileSync(full, 'utf8'))) return true;
      }
    }
    return false;
  };
  return visit(dir);
}

function packageDir(from: string, name: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
