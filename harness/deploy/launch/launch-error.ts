/**
 * Why a launch failed, as a stable code plus one line a user can act on. The
 * harness reads the exit status, a person reads the line: both must say the
 * same thing, so the code picks the status.
 */
export type LaunchErrorCode =
  | 'usage'
  | 'module_not_found'
  | 'module_failed_to_load'
  | 'export_missing'
  | 'export_not_a_function'
  | 'factory_threw'
  | 'not_a_server'
  | 'connect_failed';

/** EX_USAGE (sysexits.h): the command line is wrong, as for a target file with a bad field. */
export const EXIT_USAGE = 64;
/** The module could not be turned into a running server. */
export const EXIT_LAUNCH_FAILED = 2;

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  constructor(
    readonly code: LaunchErrorCode,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return this.code === 'usage' ? EXIT_USAGE : EXIT_LAUNCH_FAILED;
  }
}

/** The first line of whatever was thrown: a stack or a multi-line message must not break the one-line contract. */
export function firstLineOf(thrown: unknown): string {
  const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  return text.split('\n', 1)[0] ?? '';
}
