/** How a target's process says it is ready: one vocabulary for a stdio target's processes and a remote server's replicas. */
/**
 * How a process says it is ready.
 * - `json`: a JSON line `{"ready": "<service>", "url": "http://..."}` on the stream.
 * - `log-line`: the first line matching `pattern`; a named group `port` (or `url`) gives the port when it is announced.
 * - `http`: the harness polls `path` on the assigned port until it answers.
 * - `mcp-initialize`: the tool process is ready when it answers MCP `initialize` (the default for the tool).
 */
export type Readiness =
  | { kind: 'json'; stream: 'stdout' | 'stderr'; service: string }
  | { kind: 'log-line'; stream: 'stdout' | 'stderr'; pattern: RegExp }
  | { kind: 'http'; path: string }
  | { kind: 'mcp-initialize' };
