/**
 * Syscall-level fault injection with strace: a SIGKILL or an errno at an
 * exact write of a traced process, and a parser for what strace logged.
 *
 * What was checked on the machines this runs on (strace 6.1), and why the
 * arguments are what they are:
 * - `-P <path>` restricts tracing AND injection counting to syscalls on
 *   that path (write(fd) is matched through the fd's path), so
 *   `-P sessions.json -e inject=write:signal=KILL:when=3` kills at the third
 *   write to the session file, whatever the process wrote elsewhere.
 * - Counting is per syscall and per thread ("per tracee"): `when=3` on
 *   `write` means the third write() of one thread. The driver runs with
 *   UV_THREADPOOL_SIZE=1 so a store writing from libuv's pool writes from
 *   one thread.
 * - `--seccomp-bpf` is NOT used: with it, strace 6.1 silently skips
 *   `signal=KILL` injection (error injection still works). Without it every
 *   syscall of a traced process stops it, which makes Node's start-up
 *   (thousands of syscalls loading modules) slow. So strace attaches (-p)
 *   to a driver that has started and waits until it is traced: only the
 *   script is traced, and the counts start with it. Where attaching is not
 *   allowed (Yama ptrace_scope 1 without CAP_SYS_PTRACE), strace launches
 *   the driver instead: slower, same counts in path mode.
 * - A killed write shows as `write(...) = ?` followed by
 *   `+++ killed by SIGKILL +++`; an injected error as `= -1 ENOSPC (...)
 *   (INJECTED)`. Every kill is confirmed from the log, never assumed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnChild } from '../../deploy/process/child-process.ts';

export const STRACE_PATH = '/usr/bin/strace';
export const WRITE_SYSCALLS = ['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2'] as const;

export type Injection =
  | { kind: 'kill'; syscall: string; when: number }
  /** persistent: every later write fails too (a disk that stays full), not just the one. */
  | { kind: 'error'; syscall: string; errno: 'ENOSPC' | 'EIO'; when: number; persistent: boolean };

export type StraceMode = 'attach' | 'launch';

export interface StraceOptions {
  logFile: string;
  /** attach: `-p pid` of a running process (given here); launch: the command follows the arguments. */
  attachPid?: number;
  /** Restrict tracing and injection counting to these paths (-P). None: every write is traced and counted. */
  paths?: readonly string[];
  injection?: Injection;
}

export function injectExpression(injection: Injection): string {
  const action = injection.kind === 'kill' ? 'signal=KILL' : `error=${injection.errno}`;
  const when = injection.kind === 'error' && injection.persistent ? `${injection.when}+` : String(injection.when);
  return `inject=${injection.syscall}:${action}:when=${when}`;
}

export function straceArgs(options: StraceOptions): string[] {
  // -s 64: long enough to read the driver's `{"type":"invoke","op":N` markers on stdout.
  const args = ['-f', '-qq', '-o', options.logFile, '-y', '-s', '64', '-e', `trace=${WRITE_SYSCALLS.join(',')}`];
  for (const file of options.paths ?? []) args.push('-P', file);
  if (options.injection) args.push('-e', injectExpression(options.injection));
  if (options.attachPid !== undefined) args.push('-p', String(options.attachPid));
  return args;
}

export interface TracedWrite {
  tid: number;
  syscall: string;
  fd: number;
  /** The fd's path as strace resolved it (-y): a file, or `pipe:[…]`. */
  target: string;
  /** The start of the data, as strace printed it (escaped). */
  data: string;
  /** Bytes written, '?' when the thread died in the call, undefined when the line never finished. */
  result: number | '?' | undefined;
  errno?: string;
  injected: boolean;
  /** The driver operation in progress when the write happened, from its invoke markers. */
  op?: number;
}

export interface StraceLog {
  writes: TracedWrite[];
  killedTids: number[];
}

const WRITE_LINE = /^(\d+)\s+(write|pwrite64|writev|pwritev|pwritev2)\((\d+)(?:<(.*?)>)?, (.*)$/;
const RESUMED_LINE = /^(\d+)\s+<\.\.\. (\w+) resumed>(.*)$/;
const KILLED_LINE = /^(\d+)\s+\+\+\+ killed by SIGKILL/;
const RESULT = /\)\s+=\s+(-?\d+|\?)(?:\s+(E[A-Z0-9]+))?/;
const INVOKE_MARKER = /\\"type\\":\\"invoke\\",\\"op\\":(\d+)/;

function applyResult(write: TracedWrite, tail: string): void {
  const match = RESULT.exec(tail);
  if (!match) return;
  write.result = match[1] === '?' ? '?' : Number(match[1]);
  if (match[2]) write.errno = match[2];
  write.injected = tail.includes('(INJECTED');
}

export function parseStraceLog(text: string): StraceLog {
  const writes: TracedWrite[] = [];
  const killedTids: number[] = [];
  const unfinished = new Map<number, TracedWrite>();
  let currentOp: number | undefined;
  for (const line of text.split('\n')) {
    const killed = KILLED_LINE.exec(line);
    if (killed) {
      killedTids.push(Number(killed[1]));
      continue;
    }
    const resumed = RESUMED_LINE.exec(line);
    if (resumed) {
      const write = unfinished.get(Number(resumed[1]));
      if (write) applyResult(write, resumed[3]!);
      unfinished.delete(Number(resumed[1]));
      continue;
    }
    const match = WRITE_LINE.exec(line);
    if (!match) continue;
    const rest = match[5]!;
    const write: TracedWrite = {
      tid: Number(match[1]),
      syscall: match[2]!,
      fd: Number(match[3]),
      target: match[4] ?? '',
      data: rest.slice(0, 200),
      result: undefined,
      injected: false,
    };
    const marker = INVOKE_MARKER.exec(rest);
    if (marker && write.fd === 1) currentOp = Number(marker[1]);
    write.op = currentOp;
    if (rest.includes('<unfinished ...>')) unfinished.set(write.tid, write);
    else applyResult(write, rest);
    writes.push(write);
  }
  return { writes, killedTids };
}

export function readStraceLog(file: string): StraceLog | undefined {
  return existsSync(file) ? parseStraceLog(readFileSync(file, 'utf8')) : undefined;
}

/** The write the process died in: its thread was killed while the call was in progress. */
export function killedWrite(log: StraceLog): TracedWrite | undefined {
  const killed = new Set(log.killedTids);
  for (let i = log.writes.length - 1; i >= 0; i--) {
    const write = log.writes[i]!;
    if (killed.has(write.tid) && (write.result === '?' || write.result === undefined)) return write;
  }
  return undefined;
}

export type StraceAvailability =
  | { usable: true; mode: StraceMode; version: string; note: string }
  | { usable: false; why: string };

const WAIT_FOR_TRACER_JS = `
const fs = require('node:fs');
const traced = () => fs.readdirSync('/proc/self/task').every((tid) => {
  try { return !/^TracerPid:\\s+0$/m.test(fs.readFileSync('/proc/self/task/' + tid + '/status', 'utf8')); } catch { return true; }
});
process.stdout.write('waiting-for-tracer\\n');
const started = Date.now();
const poll = () => {
  if (traced()) return go();
  if (Date.now() - started > 10000) { process.stderr.write('no tracer attached within 10 s\\n'); process.exit(3); }
  setTimeout(poll, 2);
};
`;

async function probeOnce(mode: StraceMode, workDir: string, logDir: string): Promise<{ ok: true; signal: string | null } | { ok: false; why: string }> {
  const target = path.join(workDir, `strace-probe-${mode}.txt`);
  const logFile = path.join(workDir, `strace-probe-${mode}.strace`);
  writeFileSync(target, '');
  const writes = `const go = () => { fs.writeFileSync(${JSON.stringify(target)}, 'first'); fs.writeFileSync(${JSON.stringify(target)}, 'second'); };`;
  const options = { logFile, paths: [target], injection: { kind: 'kill' as const, syscall: 'write', when: 2 } };
  let tracee;
  let tracer;
  if (mode === 'attach') {
    tracee = spawnChild({ name: 'faults-strace-probe-tracee', command: process.execPath, args: ['-e', `${WAIT_FOR_TRACER_JS}${writes}poll();`], env: {}, logDir });
    try {
      await tracee.waitForLine('stdout', (line) => (line === 'waiting-for-tracer' ? true : undefined), 'waiting for a tracer', 10_000);
    } catch (error) {
      return { ok: false, why: (error as Error).message };
    }
    tracer = spawnChild({ name: 'faults-strace-probe-attach', command: STRACE_PATH, args: straceArgs({ ...options, attachPid: tracee.pid }), env: {}, logDir });
  } else {
    tracer = spawnChild({ name: 'faults-strace-probe-launch', command: STRACE_PATH, args: [...straceArgs(options), process.execPath, '-e', `const fs=require('node:fs');${writes}go();`], env: {}, logDir });
  }
  await tracer.exited;
  // A tracer that could not attach leaves the tracee waiting for it.
  if (tracee?.isRunning) await tracee.kill();
  const traceeExit = await (tracee ?? tracer).exited;
  const log = readStraceLog(logFile);
  const died = log ? killedWrite(log) : undefined;
  const content = readFileSync(target, 'utf8');
  if (died && died.target === target && content === '') return { ok: true, signal: traceeExit.signal };
  const said = tracer.stderr.lines.find((line) => /ptrace|not permitted|denied|attach/i.test(line)) ?? tracer.stderr.lines[0];
  return {
    ok: false,
    why: said
      ? `strace could not trace (${mode}): ${said}`
      : `strace ran (${mode}) but the injected SIGKILL did not land (exit code ${traceeExit.code}, signal ${traceeExit.signal}; file left ${JSON.stringify(content)})`,
  };
}

/**
 * Proves, on this machine, that strace may trace a process (ptrace allowed)
 * and that `signal=KILL` injection at the N-th write to one path works: a
 * process writes a file twice and must die in the second write, leaving the
 * file empty. Attaching is tried first (fast), launching second.
 */
export async function probeStrace(workDir: string, logDir: string): Promise<StraceAvailability> {
  if (!existsSync(STRACE_PATH)) return { usable: false, why: `${STRACE_PATH} does not exist` };
  mkdirSync(workDir, { recursive: true });
  const versionChild = spawnChild({ name: 'faults-strace-version', command: STRACE_PATH, args: ['-V'], env: {}, logDir });
  await versionChild.exited;
  const version = versionChild.stdout.lines[0] ?? 'strace (version unknown)';
  const attach = await probeOnce('attach', workDir, logDir);
  if (attach.ok) {
    return { usable: true, mode: 'attach', version, note: `strace -p attached to a running process; SIGKILL injected at its 2nd write to one path (-P) killed it inside that write (signal ${attach.signal}); the file was left empty` };
  }
  const launch = await probeOnce('launch', workDir, logDir);
  if (launch.ok) {
    return { usable: true, mode: 'launch', version, note: `attaching failed (${attach.why}); strace launching the process works: SIGKILL at its 2nd write to one path left the file empty` };
  }
  return { usable: false, why: `${attach.why}; ${launch.why}` };
}
