/**
 * One HTTP/1.1 request over a bare socket, bytes exactly as given. fetch()
 * normalises or refuses what a hostile client sends (raw CRLF, NUL, spaces,
 * absolute-form targets, 70 KB request lines), so the battery writes the
 * request line itself and reads whatever comes back, including the bare
 * answers Node's parser gives before any handler runs.
 */
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target, written verbatim (may hold raw CR, LF, NUL, spaces, non-ASCII). */
  target: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw header block as received, for header-injection checks. */
  headerBlock: string;
  body: string;
  durationMs: number;
}

export class RawHttpError extends Error {
  constructor(
    readonly kind: 'timeout' | 'closed-without-answer' | 'unparseable' | 'socket',
    message: string,
  ) {
    super(message);
    this.name = 'RawHttpError';
  }
}

export async function rawRequest(baseUrl: string, request: RawRequest, timeoutMs = 5000): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const started = performance.now();
  const head = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(request.headers ?? {})) head.push(`${name}: ${value}`);
  if (request.body !== undefined) head.push(`Content-Length: ${Buffer.byteLength(request.body)}`);
  // latin1 keeps every code unit below 256 as one byte; UTF-8 payloads are percent-encoded or written as bytes by the case loader.
  const bytes = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(request.body ?? '', 'utf8')]);

  const received = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RawHttpError('timeout', `no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    // Write without half-closing, as browsers do: Node's HTTP server ends a
    // connection whose client half-closes before an async handler answers.
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server that answers and resets (e.g. after a 431) still gave its answer.
      if (chunks.length > 0 && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return;
      clearTimeout(timer);
      reject(new RawHttpError('socket', `${error.code ?? ''} ${error.message}`.trim()));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
  const durationMs = performance.now() - started;
  if (received.length === 0) throw new RawHttpError('closed-without-answer', 'the server closed the connection without answering');
  return { ...parseResponse(received), durationMs };
}

function parseResponse(raw: Buffer): Omit<RawResponse, 'durationMs'> {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new RawHttpError('unparseable', `no header terminator in ${raw.length} bytes`);
  const headerBlock = raw.subarray(0, split).toString('latin1');
  const [statusLine = '', ...lines] = headerBlock.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new RawHttpError('unparseable', `bad status line ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(split + 4);
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: Number(match[1]), headers, headerBlock, body: body.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
