/**
 * What a failed `npm install` says, read from its stderr: whether the
 * registry could not be reached (a network or proxy matter, nothing wrong
 * with what was asked) or the install itself failed (a version that does
 * not exist, a full disk), and the lines of its error a person needs,
 * without the stack trace and the dump of the error object npm prints
 * after it.
 */

export type NpmFailureKind = 'registry_unreachable' | 'install_failed';

/** npm's error codes for a registry it could not talk to (its own fetch's, or the gateway's). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'E502',
  'E503',
  'E504',
]);

/** "npm error code ENOTFOUND" (npm 9 and later) or "npm ERR! code ENOTFOUND" (earlier). */
const CODE_LINE = /^npm (?:error|ERR!) code (\S+)/;
const ERROR_LINE = /^npm (?:error|ERR!)/;
/** A stack frame, a line of the error object's dump, or an empty error line: noise in a message. */
const NOISE = /^npm (?:error|ERR!)(?:\s+at\s|\s{2,}\w+: |\s*[{}]\s*$|\s*$)/;

export function npmErrorCode(stderr: readonly string[]): string | undefined {
  for (const line of stderr) {
    const match = CODE_LINE.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

export function npmFailureKind(stderr: readonly string[]): NpmFailureKind {
  const code = npmErrorCode(stderr);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return 'registry_unreachable';
  // npm prefixes its connectivity advice with "network" whatever the code.
  if (stderr.some((line) => /^npm (?:error|ERR!) network /.test(line))) return 'registry_unreachable';
  return 'install_failed';
}

/**
 * npm's error lines worth quoting, at most `max`, with the line that names
 * its full log always kept. Without any npm error line (npm killed, or not
 * npm at all), the last lines of stderr as they are.
 */
export function npmErrorSummary(stderr: readonly string[], max = 8): string[] {
  const errors = stderr.filter((line) => ERROR_LINE.test(line) && !NOISE.test(line));
  if (errors.length === 0) return stderr.slice(-max);
  const logLine = errors.findLast((line) => /complete log of this run/.test(line));
  const rest = errors.filter((line) => line !== logLine).slice(0, logLine ? max - 1 : max);
  return logLine ? [...rest, logLine] : rest;
}
