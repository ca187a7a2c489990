/**
 * This checkout as another project gets it: `npm pack` (its prepack builds
 * dist/), then the tarball installed into a fresh project folder outside
 * the repository, as `npm install <tarball>` does it for a user. Used by the
 * installed-package test and by `npm run timing -- --package`.
 *
 * better-sqlite3's native binary comes from a local prebuild made of this
 * checkout's own build, as a machine with the internet gets it from the
 * project's releases: without one, its install compiles SQLite (a minute of
 * CPU here), which measures the compiler, not this package.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../core/run-folder.ts';

/** The environment a user's commands get: without this harness's own OAUTH_REPRO_* and NODE_OPTIONS. */
export function userEnvironment(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OAUTH_REPRO_') && name !== 'NODE_OPTIONS'));
}

/** `command args` in `cwd` as the user runs it: never throws on a non-zero exit; stdout, stderr and both interleaved (all). */
export function runAsUser(command: string, args: readonly string[], cwd: string, timeout = 240_000, more: Record<string, string> = {}) {
  return execa(command, args, { cwd, env: { ...userEnvironment(), ...more }, extendEnv: false, reject: false, timeout, all: true });
}

/**
 * A folder holding better-sqlite3's native binary as a prebuild archive, named as prebuild-install looks it up
 * (NAME-vVERSION-node-vABI-PLATFORM-ARCH.tar.gz, build/Release/ inside), made from this checkout's own build.
 */
export function betterSqlitePrebuild(into: string): string {
  const module = path.join(PROJECT_ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(path.join(module, 'package.json'), 'utf8')) as { version: string };
  const dir = path.join(into, 'prebuilds');
  mkdirSync(dir, { recursive: true });
  const archive = path.join(dir, `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
  execFileSync('tar', ['-czf', archive, '-C', module, 'build/Release/better_sqlite3.node']);
  return dir;
}

export interface PackedInstall {
  tarball: string;
  /** The tarball's size and file count, as npm pack reported them. */
  size: number;
  files: number;
  /** The user's project, with the package in its node_modules. */
  project: string;
}

/** Packs this checkout into `work` and installs the tarball into `work/<projectName>` (a fresh project of its own). */
export async function packAndInstall(work: string, projectName = 'their-project'): Promise<PackedInstall> {
  const packed = await runAsUser('npm', ['pack', '--json', '--pack-destination', work], PROJECT_ROOT, 300_000);
  if (packed.exitCode !== 0) throw new Error(`npm pack failed (exit ${packed.exitCode}):\n${packed.all}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; size: number; files: unknown[] }[];
  const tarball = path.join(work, info!.filename);
  const project = path.join(work, projectName);
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: projectName, version: '1.0.0', private: true }, null, 2)}\n`);
  // Every dependency is in npm's cache already on a machine that ran `npm ci` here; the registry is asked only for what is not.
  const installed = await runAsUser('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project, 300_000, { npm_config_better_sqlite3_local_prebuilds: betterSqlitePrebuild(work) });
  if (installed.exitCode !== 0) throw new Error(`npm install ${tarball} failed (exit ${installed.exitCode}):\n${installed.all}`);
  return { tarball, size: info!.size, files: info!.files.length, project };
}
