/**
 * A process that floods its output makes failures that do not look like it:
 * a readiness timeout, an MCP request that timed out. The failure's message
 * names how much the process printed, so the reader goes to its log first.
 */
import { formatBytes, formatCount } from './byte-size.ts';
import type { StreamVolume } from './line-splitter.ts';

/** More than this on one stream, and the output is part of the story of a failure. */
export const FLOOD_BYTES = 1024 * 1024;

export type StreamName = 'stdout' | 'stderr';

/** What a note needs of a child (RunningChild has it). */
export interface PrintingProcess {
  readonly pid: number;
  readonly logPath: string;
  printed(stream: StreamName): StreamVolume;
}

/** "50.1 MiB on stdout: 400,000 lines", or with a qualifier "… on stdout that was not MCP: …". */
export function describeOutput(stream: StreamName, volume: StreamVolume, qualifier?: string): string {
  return `${formatBytes(volume.bytes)} on ${stream}${qualifier ? ` ${qualifier}` : ''}: ${formatCount(volume.lines)} line${volume.lines === 1 ? '' : 's'}`;
}

/** The streams that carried more than `minBytes`, described; empty when none did. */
function floodedStreams(child: PrintingProcess, minBytes = FLOOD_BYTES): string[] {
  return (['stdout', 'stderr'] as const).flatMap((stream) => {
    const volume = child.printed(stream);
    return volume.bytes > minBytes ? [describeOutput(stream, volume)] : [];
  });
}

/** "it printed 50.1 MiB on stdout: 400,000 lines; see its log …", or undefined when it printed little. */
export function floodNote(child: PrintingProcess, minBytes = FLOOD_BYTES): string | undefined {
  const flooded = floodedStreams(child, minBytes);
  return flooded.length ? `it printed ${flooded.join(' and ')}; see its log ${child.logPath}` : undefined;
}
