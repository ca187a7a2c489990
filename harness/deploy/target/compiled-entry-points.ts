/**
 * Compiles a TypeScript target's entry points to JavaScript once per source
 * version, the way the server would ship, so that each of the hundreds of
 * processes a run starts loads plain JavaScript instead of compiling
 * TypeScript at start-up (tsx keeps its cache in TMPDIR, and every simulated
 * host has its own). The output is keyed by a hash of the sources and the
 * lock file, written to a temporary folder and renamed into place, so
 * parallel test workers never see half a build.
 */
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

export interface CompileRequest {
  /** Names the output folder. */
  name: string;
  /** Every folder the entries import from (their contents key the build). */
  sourceDirs: readonly string[];
  entries: readonly string[];
}

/** Returns the folder holding `<entry>.js` for each entry (e.g. src/tool-process.ts → tool-process.js). */
export function compiledEntryPoints(projectRoot: string, request: CompileRequest): string {
  const { name, sourceDirs, entries } = request;
  const hash = createHash('sha256');
  const inputs = [...sourceDirs.flatMap((dir) => sourceFiles(path.join(projectRoot, dir))), path.join(projectRoot, 'package-lock.json'), ...entries.map((e) => path.join(projectRoot, e))];
  for (const file of inputs) {
    hash.update(path.relative(projectRoot, file)).update('\0');
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  const cacheRoot = path.join(projectRoot, 'node_modules', '.cache', 'oauth-state-repro');
  const outDir = path.join(cacheRoot, `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(outDir)) return outDir;
  mkdirSync(cacheRoot, { recursive: true });
  const staging = `${outDir}.${process.pid}.tmp`;
  buildSync({
    entryPoints: entries.map((entry) => path.join(projectRoot, entry)),
    outdir: staging,
    bundle: true,
    // Dependencies stay in node_modules (a native addon cannot be bundled); only our code is compiled.
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  try {
    renameSync(staging, outDir);
  } catch {
    // Another worker finished first with the same sources: use its build.
    rmSync(staging, { recursive: true, force: true });
  }
  return outDir;
}
