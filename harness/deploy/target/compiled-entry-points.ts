/**
 * Compiles a TypeScript target's entry points to JavaScript once per source
 * version, the way the server would ship, so that each of the hundreds of
 * processes a run starts loads plain JavaScript instead of compiling
 * TypeScript at start-up (tsx keeps its cache in TMPDIR, and every simulated
 * host has its own). The output is keyed by a hash of the sources and the
 * lock file, written to a temporary folder and renamed into place, so
 * parallel test workers never see half a build. The cache is cacheRoot():
 * node_modules/.cache, or beside the runs when OAUTH_REPRO_RUNS_DIR moves
 * them (a read-only checkout).
 */
import { buildSync, type BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot } from '../../core/run-folder.ts';
import { ensureHarnessFolder, errnoReason, HarnessFolderError, isErrnoError } from './harness-folder.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      // A server's own checkout may be a source folder: its installed packages and hidden folders are not its sources.
      if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : sourceFiles(full);
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
  /**
   * Bundle the dependencies too, except these packages (a native addon
   * cannot be bundled). One file per entry starts several times faster than
   * Node resolving and loading the hundreds of files of node_modules it
   * imports (src's tool process: ~350 → ~200 ms to its MCP answer). Absent:
   * every package stays in node_modules and only our code is compiled.
   */
  bundleDependenciesExcept?: readonly string[];
}

/** A CommonJS dependency inside an ESM bundle still calls require() for Node's built-ins. */
const REQUIRE_IN_ESM = "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";

/** Returns the folder holding `<entry>.js` for each entry (e.g. src/tool-process.ts → tool-process.js). */
export function compiledEntryPoints(projectRoot: string, request: CompileRequest, cache: string = cacheRoot()): string {
  const { name, sourceDirs, entries, bundleDependenciesExcept } = request;
  const options = {
    // Each entry becomes <its base name>.js at the top of the folder, wherever it lives (two entries with one base name are an esbuild error).
    entryPoints: entries.map((entry) => ({ in: path.join(projectRoot, entry), out: path.basename(entry, path.extname(entry)) })),
    bundle: true,
    ...(bundleDependenciesExcept
      ? // Split: a package left external and imported only behind a dynamic import() stays behind it (in a chunk of its own) instead of being hoisted to the entry's top.
        { external: [...bundleDependenciesExcept], banner: { js: REQUIRE_IN_ESM }, splitting: true }
      : // Dependencies stay in node_modules; only our code is compiled.
        { packages: 'external' as const }),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  } satisfies BuildOptions;
  // The packages left external are found by walking up from the output for a node_modules folder: a cache outside
  // the project (OAUTH_REPRO_RUNS_DIR) has none above it, so each build gets a link to the project's own.
  const nodeModules = isInside(projectRoot, cache) ? undefined : path.join(projectRoot, 'node_modules');
  const hash = createHash('sha256');
  // How it is built is part of the key: the same sources built otherwise are another build (and linked to another project's packages, another build too).
  hash.update(JSON.stringify(options)).update('\0');
  if (nodeModules) hash.update(nodeModules).update('\0');
  const inputs = [...sourceDirs.flatMap((dir) => sourceFiles(path.join(projectRoot, dir))), path.join(projectRoot, 'package-lock.json'), ...entries.map((e) => path.join(projectRoot, e))];
  for (const file of inputs) {
    hash.update(path.relative(projectRoot, file)).update('\0');
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  const outDir = path.join(cache, `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(outDir)) return outDir;
  ensureHarnessFolder(cache, 'compile cache');
  const staging = `${outDir}.${process.pid}.tmp`;
  try {
    // A staging folder of an earlier process with this pid was never renamed into place: it is nobody's now.
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    if (nodeModules) symlinkSync(nodeModules, path.join(staging, 'node_modules'), 'dir');
    // The output is ES modules: said here, since a cache in a CommonJS project would otherwise be parsed twice at every start (and warned about).
    writeFileSync(path.join(staging, 'package.json'), '{ "type": "module" }\n');
  } catch (error) {
    if (!isErrnoError(error)) throw error;
    throw new HarnessFolderError('compile cache', cache, errnoReason(error), { cause: error });
  }
  buildSync({ ...options, outdir: staging });
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another worker finished first with the same sources: use its build.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(outDir)) throw error;
  }
  return outDir;
}

function isInside(root: string, folder: string): boolean {
  const relative = path.relative(root, folder);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * For a target file: its entries compiled (see compiledEntryPoints), and a
 * function from an entry's path (as given in `entries`) to the command-line
 * arguments that run its JavaScript with plain `node`.
 */
export function compiledNodeArgs(projectRoot: string, request: CompileRequest, cache: string = cacheRoot()): (entry: string) => string[] {
  const dir = compiledEntryPoints(projectRoot, request, cache);
  return (entry) => {
    if (!request.entries.includes(entry)) throw new Error(`${entry} is not one of the compiled entries of "${request.name}" (${request.entries.join(', ')})`);
    return [path.join(dir, `${path.basename(entry, path.extname(entry))}.js`)];
  };
}
