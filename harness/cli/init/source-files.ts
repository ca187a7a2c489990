/**
 * The server's code as init reads it: every source file under its folder
 * (not its installed packages, build output, tests or target files), with
 * the relative imports between them, and its package.json.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface SourceFile {
  /** Relative to the server's folder, with '/' separators. */
  path: string;
  text: string;
}

export interface PackageJson {
  name?: string;
  type?: string;
  main?: string;
  bin?: string | Record<string, string>;
  scripts?: Record<string, string>;
}

const CODE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
const NOT_SOURCES = /(?:\.test\.|\.spec\.|\.d\.[cm]?ts$|\.target\.[cm]?[jt]s$)/;
/** Folders that hold no source of the server: packages, build output, coverage, anything hidden. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'test', 'tests', '__tests__', 'oauth-state-repro']);
const MAX_FILES = 2000;
const MAX_BYTES = 1_000_000;

export function readSourceFiles(root: string): SourceFile[] {
  const found: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= MAX_FILES) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) walk(full);
      } else if (entry.isFile() && CODE.test(entry.name) && !NOT_SOURCES.test(entry.name) && statSync(full).size <= MAX_BYTES) {
        found.push({ path: path.relative(root, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(root);
  return [...found, ...importedFromOutside(root, found)];
}

/**
 * Files outside the folder that its files import by relative path (a
 * package of a monorepo importing `../common/oauth.ts`): part of the
 * server's code, named relative to the folder (`../common/oauth.ts`).
 */
function importedFromOutside(root: string, inside: readonly SourceFile[]): SourceFile[] {
  const outside = new Map<string, SourceFile>();
  const queue = [...inside];
  for (let file = queue.shift(); file && outside.size < MAX_FILES; file = queue.shift()) {
    for (const m of file.text.matchAll(RELATIVE_IMPORT)) {
      const relative = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), m[1]!));
      if (!relative.startsWith('../') || outside.has(relative) || relative.includes('node_modules/')) continue;
      const stem = relative.replace(/\.[cm]?js$/, '');
      const candidate = [relative, ...['.ts', '.mts', '.tsx', '.js', '.mjs'].map((ext) => `${stem}${ext}`)].find((c) => isFile(path.join(root, c)));
      if (!candidate || outside.has(candidate) || NOT_SOURCES.test(candidate)) continue;
      const found = { path: candidate, text: readFileSync(path.join(root, candidate), 'utf8') };
      outside.set(candidate, found);
      queue.push(found);
    }
  }
  return [...outside.values()];
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function readPackageJson(root: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Each file's relative imports, resolved to files of the list (a .js specifier finds its .ts source, an extensionless one its file or index). */
export function importGraph(files: readonly SourceFile[]): Map<string, string[]> {
  const known = new Set(files.map((f) => f.path));
  const resolve = (from: string, specifier: string): string | undefined => {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    const stem = base.replace(/\.[cm]?js$/, '');
    const candidates = [base, ...['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'].flatMap((ext) => [`${stem}${ext}`, `${base}/index${ext}`])];
    return candidates.find((candidate) => known.has(candidate));
  };
  return new Map(files.map((file) => [file.path, [...file.text.matchAll(RELATIVE_IMPORT)].flatMap((m) => resolve(file.path, m[1]!) ?? [])]));
}

/** A file and every file it imports, transitively. */
export function closureOf(entry: string, graph: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph.get(file) ?? []) visit(next);
  };
  visit(entry);
  return [...seen];
}
