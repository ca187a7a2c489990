/**
 * Where haproxy is. Debian installs it in /usr/sbin, which the PATH of a
 * user who is not root often lacks (redis-server, in /usr/bin, has no such
 * trouble): the sbin folders are searched after PATH, so an installed
 * haproxy is found whoever runs the harness.
 */
import path from 'node:path';
import { findExecutable } from '../process/find-executable.ts';

export const HAPROXY_COMMAND = 'haproxy';
/** What to tell a user (and CI) whose machine lacks it. */
export const HAPROXY_INSTALL_HINT =
  'haproxy is not installed: install the Debian package (apt-get install haproxy); CI installs it, so the balancer tests always run there';

const SBIN_FOLDERS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The haproxy to run, or undefined when there is none. A command with a slash is taken as it is. */
export function findHaproxy(command: string = HAPROXY_COMMAND, searchPath: string = process.env.PATH ?? ''): string | undefined {
  return findExecutable(command, [searchPath, ...SBIN_FOLDERS].filter(Boolean).join(path.delimiter));
}
