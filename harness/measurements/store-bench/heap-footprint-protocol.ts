/** What the heap measurement's child is asked, and the line it answers with. */
export const HEAP_FOOTPRINT_PREFIX = 'HEAP_FOOTPRINT ';

export interface HeapChildRequest {
  store: string;
  sessions: number;
  emailPerSession: boolean;
}

export interface HeapChildReport {
  store: string;
  sessions: number;
  emailPerSession: boolean;
  heapUsedBefore: number;
  heapUsedAfter: number;
  /** external grows when a store keeps buffers; reported beside the heap, not added to it. */
  externalDelta: number;
  rssDelta: number;
  /** count() after filling: must equal sessions. */
  counted: number;
  seedMethod: string | undefined;
  fillMs: number;
  pid: number;
}

export function parseHeapReport(line: string): HeapChildReport | undefined {
  if (!line.startsWith(HEAP_FOOTPRINT_PREFIX)) return undefined;
  try {
    return JSON.parse(line.slice(HEAP_FOOTPRINT_PREFIX.length)) as HeapChildReport;
  } catch {
    return undefined;
  }
}
