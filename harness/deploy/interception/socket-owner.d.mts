/** Types of socket-owner.mjs (plain JavaScript: the TLS front, a child process, runs it without a compile). */
export interface LoopbackEnd {
  address: string;
  port: number;
}
export function parseProcAddress(hex: string): LoopbackEnd;
export function inodeOf(procNetTcp: string, client: LoopbackEnd, serverPort: number): string | undefined;
export function socketOwner(client: LoopbackEnd, serverPort: number): number | undefined;
