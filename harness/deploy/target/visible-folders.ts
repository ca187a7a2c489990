/**
 * The folders a target's process must still see when it runs on a simulated
 * host, whose /tmp is private (hosts.ts). Computed here, in one place, from
 * the target description: its working directory, the target file's folder,
 * its store module and factory module, and every existing path on the
 * command lines of its processes and of its build (a server checked out
 * anywhere under /tmp, a build's output); then the harness's own (the
 * project with the preloads and tsx, the compile cache, the run's folder
 * with the logs its preloads write) and the host's home. Which of them the
 * namespace has to bind, and how wide, hosts.ts decides.
 *
 * Environment values are left out on purpose: a target names its state
 * there (a session file, a data folder), and state under /tmp must stay
 * private to each host.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, PROJECT_ROOT, type RunFolder } from '../../core/run-folder.ts';
import type { Host } from '../hosts.ts';
import type { TargetDescription } from './target-description.ts';
import type { RemoteTargetDescription } from './remote-target-description.ts';

interface CommandLine {
  command: string;
  args?: readonly string[];
}

/** The strings of an argument that may be paths: the argument, the value of `--name=value`, a file URL's path. */
function pathCandidates(arg: string): string[] {
  const candidates = [arg];
  const assigned = /^--?[^=\s]+=(.+)$/.exec(arg);
  if (assigned) candidates.push(assigned[1]!);
  return candidates.flatMap((candidate) => {
    if (!candidate.startsWith('file://')) return [candidate];
    try {
      return [fileURLToPath(candidate)];
    } catch {
      return [];
    }
  });
}

/** An existing path's folder (itself for a folder), as given and with its links resolved; nothing for a path that does not exist. */
function folderOf(candidate: string, cwd: string): string[] {
  // Longer than any path the system accepts: JSON, a regex, a long flag value.
  if (candidate === '' || candidate.length > 4096 || candidate.includes('\0')) return [];
  const absolute = path.resolve(cwd, candidate);
  if (!existsSync(absolute)) return [];
  try {
    const folder = statSync(absolute).isDirectory() ? absolute : path.dirname(absolute);
    return [folder, realpathSync(folder)];
  } catch {
    return [];
  }
}

/** Folders of the existing paths a command line names (a bare command name is looked up on PATH by the system, not here). */
export function foldersOnCommandLine(line: CommandLine, cwd: string): string[] {
  const command = line.command.includes('/') ? [line.command] : [];
  return unique([...command, ...(line.args ?? [])].flatMap(pathCandidates).flatMap((candidate) => folderOf(candidate, cwd)));
}

/** Every existing folder the target description names, each once. */
export function foldersNamedBy(target: TargetDescription): string[] {
  const { cwd } = target;
  const files = [target.source.file, target.storeModule, target.launch?.modulePath].filter((file): file is string => file !== undefined);
  const lines = [target.build, target.tool, target.callback, target.both].filter((line): line is CommandLine => line?.command !== undefined);
  return unique([
    ...folderOf(cwd, cwd),
    ...files.flatMap((file) => folderOf(file, cwd)),
    // A module named but not built yet (dist/ before `npm run build`) still has a folder that may exist.
    ...files.filter((file) => !existsSync(file)).flatMap((file) => folderOf(path.dirname(file), cwd)),
    ...lines.flatMap((line) => foldersOnCommandLine(line, cwd)),
  ]);
}

/**
 * What a process of `target` on `host` must see: the folders the target
 * names, those of the command line it is started with (the harness's
 * launcher, say), the harness's own, and the host's home.
 */
export function foldersVisibleOnHost(options: { target: TargetDescription; run: RunFolder; host: Host; started?: CommandLine }): string[] {
  const { target, run, host, started } = options;
  return unique([
    PROJECT_ROOT,
    cacheRoot(),
    run.dir,
    run.logDir,
    host.home,
    ...foldersNamedBy(target),
    ...(started ? foldersOnCommandLine(started, target.cwd) : []),
  ].map((folder) => path.resolve(folder)));
}

function unique(folders: readonly string[]): string[] {
  return [...new Set(folders)];
}

/** The same for a replica of a remote server: its working directory and target file, its command line, the harness's own, the host's home. */
export function remoteFoldersVisibleOnHost(options: { target: RemoteTargetDescription; run: RunFolder; host: Host; started: CommandLine }): string[] {
  const { target, run, host, started } = options;
  return unique(
    [PROJECT_ROOT, cacheRoot(), run.dir, run.logDir, host.home, ...folderOf(target.cwd, target.cwd), ...folderOf(target.source.file, target.cwd), ...foldersOnCommandLine(started, target.cwd)].map((folder) =>
      path.resolve(folder),
    ),
  );
}
