/**
 * Simulated hosts. Each host has a folder that serves as its /tmp and one
 * that serves as its home. Where mount namespaces can be made (root, or
 * unprivileged user namespaces), a process is started inside its own mount
 * namespace with the host's folder bind-mounted on /tmp, so even a server
 * that writes to a literal `/tmp/...` path writes to its host's /tmp: two
 * processes of one host share it, two hosts do not. Where they cannot, the
 * host is only TMPDIR and HOME, and the run says so (a literal /tmp path is
 * then shared by every "host").
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { SHARED_TMP_MODE, type RunFolder } from '../core/run-folder.ts';

export interface Host {
  name: string;
  tmp: string;
  home: string;
}

export type IsolationMode = { kind: 'mount-namespace'; how: string } | { kind: 'env-only'; why: string };

let probed: IsolationMode | undefined;

/** Can this machine give a process a private /tmp? Probed once per harness process. */
export function isolationMode(): IsolationMode {
  if (probed) return probed;
  if (process.env.OAUTH_REPRO_NO_NAMESPACES === '1') return (probed = { kind: 'env-only', why: 'OAUTH_REPRO_NO_NAMESPACES=1' });
  const attempts: { how: string; args: string[] }[] = [
    { how: 'unshare --mount (root)', args: ['--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind /tmp /tmp'] },
    { how: 'unshare --user --map-root-user --mount', args: ['--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind /tmp /tmp'] },
  ];
  const failures: string[] = [];
  for (const attempt of attempts) {
    const result = spawnSync('unshare', attempt.args, { encoding: 'utf8', timeout: 5000 });
    if (result.status === 0) return (probed = { kind: 'mount-namespace', how: attempt.how });
    failures.push(`${attempt.how}: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n')[0]}`);
  }
  return (probed = { kind: 'env-only', why: `no mount namespace could be made (${failures.join('; ')})` });
}

/** The caveat a run prints when hosts are only TMPDIR and HOME. */
export function isolationCaveat(mode = isolationMode()): string | undefined {
  return mode.kind === 'env-only'
    ? `hosts are simulated by TMPDIR and HOME only (${mode.why}): a server that writes to a literal /tmp path shares it across "hosts", so its isolated rows may pass where two real hosts would fail`
    : undefined;
}

export function makeHost(run: RunFolder, label: string, name: string): Host {
  const root = path.join(run.hostsDir, label, name);
  const host = { name, tmp: path.join(root, 'tmp'), home: path.join(root, 'home') };
  mkdirSync(host.tmp, { recursive: true });
  chmodSync(host.tmp, SHARED_TMP_MODE);
  mkdirSync(host.home, { recursive: true });
  return host;
}

/**
 * Inside the namespace: files of the run that replace the host's own
 * (/etc/hosts, say) are bound over them first; each folder that must stay
 * visible and lives under the real /tmp (bindsUnderTmp) is bound at the
 * same path inside the host's folder, then the host's folder (with those
 * binds) goes over /tmp,
 * then the target's command replaces the shell (exec keeps the pid: the
 * process the harness watches and stops is the target's own).
 */
const ENTER_HOST = [
  'set -e',
  'h=$1; shift; f=$1; shift',
  'while [ "$f" -gt 0 ]; do mount --bind "$1" "$2"; shift 2; f=$((f - 1)); done',
  'n=$1; shift',
  'while [ "$n" -gt 0 ]; do d="$h${1#/tmp}"; mkdir -p "$d"; mount --bind "$1" "$d"; shift; n=$((n - 1)); done',
  'mount --rbind "$h" /tmp',
  'exec "$@"',
].join('; ');

const REAL_TMP = '/tmp';

function isInside(folder: string, parent: string): boolean {
  return folder === parent || folder.startsWith(`${parent}/`);
}

/**
 * The folders to bind into a host's private /tmp, at their own paths, so a
 * process there still sees `folders` (absolute). Only those under the real
 * /tmp need it. Each is widened to its highest ancestor below /tmp that does
 * not hold the host's own /tmp: a module's imports reach above the folder
 * that names it (a checkout's node_modules, a sibling src/), and a checkout
 * at /tmp/x/server with its packages in /tmp/x/node_modules must resolve as
 * it does outside. A folder that holds the host's /tmp cannot be bound into
 * it and is left out, as are /tmp itself and files directly in it (state,
 * which must stay private to each host). Nested results collapse into the
 * outer one.
 */
export function bindsUnderTmp(hostTmp: string, folders: readonly string[]): string[] {
  const binds = new Set<string>();
  for (const folder of folders.map((dir) => path.resolve(dir))) {
    if (!folder.startsWith(`${REAL_TMP}/`) || isInside(folder, hostTmp) || isInside(hostTmp, folder)) continue;
    const below = folder.slice(REAL_TMP.length + 1).split('/');
    // The shortest prefix of the path below /tmp that does not hold the host's /tmp; the folder itself at the latest.
    let widened = folder;
    for (let depth = 1; depth <= below.length; depth++) {
      const candidate = path.join(REAL_TMP, ...below.slice(0, depth));
      if (!isInside(hostTmp, candidate)) {
        widened = candidate;
        break;
      }
    }
    binds.add(widened);
  }
  const sorted = [...binds].sort();
  return sorted.filter((folder) => !sorted.some((outer) => outer !== folder && isInside(folder, outer)));
}

/**
 * The command that runs `command args` on `host`: inside a mount namespace with the host's /tmp when possible, still
 * seeing `keepVisible`, with `fileBinds` (files of the run over the host's own) in place. A file bind needs the
 * namespace: without one it cannot be honoured, and the caller is told so by an error rather than a silent gap.
 */
export function onHost(host: Host, command: string, args: readonly string[], keepVisible: readonly string[] = [], fileBinds: readonly { source: string; target: string }[] = []): { command: string; args: string[] } {
  const mode = isolationMode();
  if (mode.kind === 'env-only') {
    if (fileBinds.length) throw new Error(`cannot replace ${fileBinds.map((bind) => bind.target).join(', ')} for ${command}: ${mode.why}`);
    return { command, args: [...args] };
  }
  const userNs = mode.how.includes('--user') ? ['--user', '--map-root-user'] : [];
  const keep = bindsUnderTmp(host.tmp, keepVisible);
  return {
    command: 'unshare',
    args: [...userNs, '--mount', '--propagation', 'private', 'sh', '-c', ENTER_HOST, 'enter-host', host.tmp, String(fileBinds.length), ...fileBinds.flatMap((bind) => [bind.source, bind.target]), String(keep.length), ...keep, command, ...args],
  };
}
