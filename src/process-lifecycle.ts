/**
 * How the two entry points end. A child must never outlive its parent: the
 * harness may be killed without a chance to signal us, so besides SIGTERM and
 * SIGINT we also stop when stdin ends (the parent's end of the pipe closed).
 */
import { ConfigError } from './config.ts';
import type { Logger } from './log.ts';

/** Exit code of a startup configuration error. */
export const EXIT_CONFIG_ERROR = 2;
/** Exit code of any other startup failure (e.g. port in use). */
export const EXIT_STARTUP_ERROR = 1;
/** How long cleanup may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 3000;

export interface ShutdownOptions {
  log: Logger;
  /** Stop when stdin ends. Off for a process started with stdin from /dev/null. */
  watchStdin: boolean;
  cleanup: () => Promise<void>;
}

export function installShutdown(options: ShutdownOptions): (reason: string, exitCode?: number) => void {
  let stopping = false;
  const shutdown = (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    options.log.info(`Shutting down (${reason})`);
    const force = setTimeout(() => {
      options.log.warn(`Cleanup took longer than ${SHUTDOWN_GRACE_MS} ms; exiting anyway`);
      process.exit(exitCode);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    options
      .cleanup()
      .catch((error: unknown) => options.log.error(`Cleanup failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => process.exit(exitCode));
  };

  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  if (options.watchStdin) {
    process.stdin.once('end', () => shutdown('stdin ended'));
    process.stdin.once('close', () => shutdown('stdin closed'));
    // A write to a closed stdout/stderr pipe means the parent is gone too.
    process.stdout.on('error', () => shutdown('stdout closed'));
    if (!process.stdin.listenerCount('data')) process.stdin.resume();
  }
  process.on('uncaughtException', (error) => {
    options.log.error(`Uncaught exception: ${error.stack ?? error.message}`);
    shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (reason) => {
    options.log.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  return shutdown;
}

/** Reports a startup failure on stderr and exits: 2 for configuration, 1 otherwise. */
export function exitOnStartupError(processName: string, error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${processName}: configuration error\n${error.message}\n`);
    process.exit(EXIT_CONFIG_ERROR);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${processName}: startup failed: ${message}\n`);
  process.exit(EXIT_STARTUP_ERROR);
}

/**
 * The command-line flags of an entry point: an unknown one is a startup
 * error (exit code 2) that names it and lists the known ones.
 */
export function parseFlags(processName: string, known: readonly string[], argv = process.argv.slice(2)): Set<string> {
  const unknown = argv.filter((arg) => !known.includes(arg));
  if (unknown.length > 0) {
    process.stderr.write(`${processName}: unknown argument ${unknown.join(' ')} (known: ${known.join(' ')})\n`);
    process.exit(EXIT_CONFIG_ERROR);
  }
  return new Set(argv);
}
