/**
 * One command to haproxy's runtime API over its unix socket. Without
 * `prompt`, haproxy reads one line, answers and closes the connection: the
 * close is the end of the answer, so none is parsed for a terminator.
 */
import net from 'node:net';

export class RuntimeApiError extends Error {
  readonly code = 'haproxy_runtime_api_failed';
  constructor(
    message: string,
    readonly command: string,
    /** What haproxy answered, when it answered. */
    readonly answer?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RuntimeApiError';
  }
}

export function runtimeCommand(socketPath: string, command: string, timeoutMs = 5000): Promise<string> {
  if (/[\n\r;]/.test(command)) {
    // ';' chains commands on the runtime API: one call is one command, so its answer is that command's.
    return Promise.reject(new RuntimeApiError(`runtime API: one command per call, without newline or ';': ${JSON.stringify(command)}`, command));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ path: socketPath });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new RuntimeApiError(`runtime API at ${socketPath}: no answer to "${command}" within ${timeoutMs} ms`, command));
    });
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => reject(new RuntimeApiError(`runtime API at ${socketPath}: "${command}" failed: ${error.message}`, command, undefined, { cause: error })));
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
