/**
 * The readiness contract: a process that listens announces its real address
 * with one JSON line, `{"ready":"<service>","url":"http://127.0.0.1:PORT","pid":N}`.
 * Servers print it on stdout; the tool process prints it on stderr, because its
 * stdout carries MCP only.
 */
export interface ReadyAnnouncement {
  ready: string;
  url: string;
  pid: number;
}

export function parseReadyAnnouncement(line: string, service: string): ReadyAnnouncement | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('"ready"')) return undefined;
  try {
    const value = JSON.parse(trimmed) as Partial<ReadyAnnouncement>;
    if (value.ready !== service || typeof value.url !== 'string' || typeof value.pid !== 'number') return undefined;
    return { ready: value.ready, url: value.url, pid: value.pid };
  } catch {
    return undefined;
  }
}
