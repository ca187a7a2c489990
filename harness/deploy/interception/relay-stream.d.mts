/** Types of relay-stream.mjs (plain JavaScript: the relay inside a namespace and the TLS front run it without a compile). */
import type { Socket } from 'node:net';
export function readPreamble(socket: Socket, limit?: number): Promise<string>;
export function splice(a: Socket, b: Socket): void;
