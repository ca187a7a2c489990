/**
 * The harness's own trouble, told apart from the target's. A process that
 * would not start after its retries, a measurement whose setup failed, a
 * helper that crashed: none of these says anything about the server under
 * test, so they never become its 'fail' or 'unknown'. They travel as a
 * HarnessError with the whole cause chain (Node's `fetch failed` says
 * nothing until its cause, `connect ECONNREFUSED 127.0.0.1:41234`, is read).
 */

export class HarnessError extends Error {
  readonly code = 'harness_error';
  override name = 'HarnessError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/** One error's own words: its message, or what was thrown when it is not an Error. */
function ownMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Every link of an error's cause chain, outermost first; a cycle or a very deep chain is cut. */
export function causeChain(error: unknown, maxDepth = 8): string[] {
  const links: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current) && links.length < maxDepth) {
    seen.add(current);
    // AggregateError (Promise.any, happy-eyeballs connects) hides its reasons in `errors`.
    const inner = current instanceof AggregateError && current.errors.length ? ` [${current.errors.map(ownMessage).join('; ')}]` : '';
    const text = `${ownMessage(current)}${inner}`;
    // A wrapper that ends with its cause's words (`start failed: boom` ← `boom`) already said it.
    if (!links.at(-1)?.endsWith(text)) links.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return links;
}

/** The error and its causes on one line: `fetch failed ← connect ECONNREFUSED 127.0.0.1:41234`. */
export function describeError(error: unknown): string {
  return causeChain(error)
    .map((link) => link.replace(/\s*\n\s*/g, ' ').trim())
    .join(' ← ');
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}
