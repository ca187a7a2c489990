/**
 * The line of a dead process's stderr that says what went wrong. The last
 * line is the wrong one for a Node program that threw: Node ends with its
 * version banner, after the stack, after the error, after the source excerpt
 * and its caret:
 *
 *     file:///app/server.mjs:3
 *     throw new Error('OAUTH_CLIENT_ID is not set');
 *     ^
 *
 *     Error: OAUTH_CLIENT_ID is not set
 *         at file:///app/server.mjs:3:7
 *
 *     Node.js v20.20.2
 */

const NODE_BANNER = /^Node\.js v\d+\.\d+\.\d+/;
const STACK_FRAME = /^\s+at\s/;
const CARET = /^\s*\^+\s*$/;
/** Where Node says the throw was: a file or module and a line number, nothing else. */
const THROW_SITE = /^(?:file:\/\/|node:|\/|[A-Za-z]:\\)\S*:\d+$/;
/**
 * "Error: …", "TypeError: …", "Error [ERR_MODULE_NOT_FOUND]: …",
 * "[UnhandledPromiseRejection: …]", "ValueError: …" (Python, too).
 */
const ERROR_HEADLINE = /^\[?(?:Uncaught )?(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception|Rejection)(?: \[[\w.-]+\])?: \S/;
/** The closing brace and property lines Node prints after an error with extra fields. */
const ERROR_FIELDS = /^(?:\s+[\w$[\]]+: .*|\s*\}\s*|\s*\{\s*)$/;

/** The error's own line if there is one, else the last line that is not Node's framing; undefined for silence. */
export function causeLine(stderr: readonly string[]): string | undefined {
  const meaningful = stderr.filter((line, index) => {
    if (!line.trim() || NODE_BANNER.test(line) || STACK_FRAME.test(line) || CARET.test(line) || THROW_SITE.test(line.trim())) return false;
    // The source excerpt is the line just above the caret.
    return !CARET.test(stderr[index + 1] ?? '');
  });
  // At the start of a line only: indented, it is a field of another error ("  [cause]: Error: …") or a log's quote of one.
  const chosen = meaningful.findLast((line) => ERROR_HEADLINE.test(line)) ?? meaningful.findLast((line) => !ERROR_FIELDS.test(line)) ?? meaningful.at(-1);
  return chosen?.trim();
}
