/**
 * A real redis-server (Debian's package) for the redis store's rows: started
 * through the one spawning module on a free loopback port, with its own
 * temporary folder and no persistence, ready when it says "Ready to accept
 * connections", stopped (and its folder removed) with the run. Its folder
 * is claimed as a temporary folder of the run, so the orphan reaper removes
 * it too if the harness is killed.
 *
 * The port is found by binding a server to port 0 and closing it, so another
 * process can take it before redis does; redis then exits with "Address
 * already in use" and the start is retried once on a new port.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claimTemporaryFolder, removeTemporaryFolder } from '../../core/temporary-folders.ts';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import { findExecutable } from '../process/find-executable.ts';
import { freePort } from '../process/free-port.ts';

export const REDIS_SERVER_COMMAND = 'redis-server';
/** What to tell a user (and CI) whose machine lacks it. */
export const REDIS_INSTALL_HINT =
  'redis-server is not installed: install the Debian package (apt-get install redis-server); CI installs it, so the redis rows always run there';

const READY = /Ready to accept connections/;
const PORT_TAKEN = /Address already in use/;

/** Whether redis-server is installed, so the harness can say so in one line and skip only the redis rows. */
export function redisServerAvailable(command: string = REDIS_SERVER_COMMAND): boolean {
  return findExecutable(command) !== undefined;
}

export interface RedisServerOptions {
  /** Where redis's stdout/stderr log goes (the run's folder). */
  logDir: string;
  /** Names the child and its log file; default `redis-server`. */
  name?: string;
  command?: string;
  readyTimeoutMs?: number;
  /** How a port is chosen; default freePort. Tests pass a taken port to exercise the retry. */
  pickPort?: () => Promise<number>;
}

export class RedisServerStartError extends Error {
  readonly code = 'redis_start_failed';
  constructor(message: string) {
    super(message);
    this.name = 'RedisServerStartError';
  }
}

export class RedisServer {
  private stopped = false;

  private constructor(
    readonly child: RunningChild,
    readonly port: number,
    /** Its own temporary folder (--dir): removed by stop(). */
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid;
  }

  static async start(options: RedisServerOptions): Promise<RedisServer> {
    const executable = findExecutable(options.command ?? REDIS_SERVER_COMMAND);
    if (!executable) throw new RedisServerStartError(REDIS_INSTALL_HINT);
    const dir = mkdtempSync(path.join(os.tmpdir(), `redis-server-${process.pid}-`));
    claimTemporaryFolder(dir);
    try {
      for (let attempt = 1; ; attempt += 1) {
        const port = await (options.pickPort ?? freePort)();
        const child = spawnChild({
          name: attempt === 1 ? (options.name ?? 'redis-server') : `${options.name ?? 'redis-server'}-retry`,
          command: executable,
          // No config file: everything on the command line. No RDB, no AOF: nothing outlives the run.
          args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
          cwd: dir,
          env: {},
          logDir: options.logDir,
        });
        try {
          await child.waitForLine('stdout', (line) => (READY.test(line) ? true : undefined), 'redis readiness', options.readyTimeoutMs ?? 10_000);
          return new RedisServer(child, port, dir);
        } catch (error) {
          if (child.isRunning) await child.stop({ graceMs: 200 });
          const output = [...child.stdout.lines, ...child.stderr.lines];
          if (attempt === 1 && output.some((line) => PORT_TAKEN.test(line))) continue;
          const tail = output.slice(-10).map((line) => `  | ${line}`).join('\n');
          throw new RedisServerStartError(
            `redis-server did not start on 127.0.0.1:${port} (attempt ${attempt}): ${(error as Error).message.split('\n')[0]}\n${tail}`,
          );
        }
      }
    } catch (error) {
      removeTemporaryFolder(dir);
      throw error;
    }
  }

  /**
   * SIGTERM straight away (redis does not watch stdin, so the spawning
   * module's first step, closing stdin, would only wait), then the usual
   * escalation if it has not exited within 2 s; then removes its folder.
   * Safe twice.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      if (this.child.isRunning) {
        this.child.signal('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const exited = await Promise.race([
          this.child.exited.then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), 2000);
          }),
        ]);
        clearTimeout(timer);
        if (!exited) await this.child.stop({ graceMs: 500 });
      }
    } finally {
      removeTemporaryFolder(this.dir);
    }
  }
}
