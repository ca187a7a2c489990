/**
 * Waits until a target's process is ready, the way its target file says it
 * announces that: a JSON line, a log line (with the port in it when the port
 * is announced), or an HTTP path that answers on the assigned port. Never a
 * fixed sleep: the HTTP poll backs off between attempts and fails as soon as
 * the process exits.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Readiness } from '../target/target-file.ts';
import { ChildStartError, exitStatus, type RunningChild } from './child-process.ts';
import { floodNote } from './flood-note.ts';
import { causeLine } from './stderr-cause.ts';

export interface Ready {
  /** Base URL of the HTTP listener (http://127.0.0.1:PORT or as announced). */
  url: string;
  port: number;
}

const READY_TIMEOUT_MS = 20_000;

function fromUrl(url: string): Ready {
  const parsed = new URL(url);
  return { url: parsed.origin, port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)) };
}

/** `assignedPort` is the port the harness gave the process (undefined when the process announces its own). */
export async function waitUntilReady(child: RunningChild, ready: Readiness, assignedPort: number | undefined): Promise<Ready> {
  const assigned = assignedPort === undefined ? undefined : { url: `http://127.0.0.1:${assignedPort}`, port: assignedPort };
  switch (ready.kind) {
    case 'json':
      return fromUrl((await child.waitForReady(ready.stream, ready.service, READY_TIMEOUT_MS)).url);
    case 'log-line': {
      const match = await child.waitForLine(ready.stream, (line) => ready.pattern.exec(line) ?? undefined, `a line matching ${ready.pattern}`, READY_TIMEOUT_MS);
      const url = match.groups?.url;
      const port = match.groups?.port;
      if (url) return fromUrl(url);
      if (port && Number(port) > 0) return { url: `http://127.0.0.1:${port}`, port: Number(port) };
      if (assigned) return assigned;
      throw new ChildStartError(`${child.spec.name}: its ready line ${JSON.stringify(match[0])} names no port (group "port" or "url") and none was assigned`, child.spec.name, child.logPath);
    }
    case 'http': {
      if (!assigned) throw new ChildStartError(`${child.spec.name}: readiness by HTTP needs an assigned port (port: 'assigned')`, child.spec.name, child.logPath);
      await pollHttp(child, new URL(ready.path, assigned.url));
      return assigned;
    }
    case 'mcp-initialize':
      throw new ChildStartError(`${child.spec.name}: 'mcp-initialize' readiness is for the tool process only; an HTTP process needs json, log-line or http`, child.spec.name, child.logPath);
  }
}

async function pollHttp(child: RunningChild, url: URL): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let wait = 10;
  while (Date.now() < deadline) {
    if (!child.isRunning) {
      const info = await child.exited;
      throw child.startError(`exited before ${url.pathname} answered (${exitStatus(info)})`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return; // Any HTTP answer means the listener is up.
    } catch {
      await delay(wait);
      wait = Math.min(wait * 2, 200);
    }
  }
  throw child.startError(`did not answer ${url.href} within ${READY_TIMEOUT_MS} ms`);
}

/**
 * A process that died while starting says more than the MCP client's
 * "Connection closed": its exit status and the line of its stderr that says
 * what went wrong, on the first line of the message (a one-line summary
 * keeps only that). Its exit may be a few milliseconds behind the closed
 * pipe, so it gets a moment to be reported. The error it explains stays as
 * the cause, and its message below.
 */
export async function explainStartFailure(child: RunningChild, error: unknown): Promise<Error> {
  const why = error instanceof Error ? error : new Error(String(error));
  const info = await Promise.race([child.exited, delay(1000).then(() => undefined)]);
  if (!info || info.stoppedBy !== 'self') return why;
  const said = causeLine(child.stderr.lines);
  const quoted = said === undefined ? '' : `: ${said.length > 300 ? `${said.slice(0, 300)}…` : said}`;
  const flood = floodNote(child);
  return new ChildStartError(`${child.spec.name} exited before it was ready (${exitStatus(info)})${quoted}${flood ? `; ${flood}` : ''}\n${why.message}`, child.spec.name, child.logPath, { cause: why });
}
