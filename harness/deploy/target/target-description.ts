/**
 * harness/deploy/target/: how the harness knows a server: its description, never an import.
 *
 * How the harness knows the server it diagnoses: a description, never an
 * import. src/ is the default target; another team's MCP server can be
 * described the same way and run through the same battery.
 */
import type { StoreProfile } from '../../core/store-profile.ts';

export interface TargetEnvironmentInput {
  /** The store to configure; undefined: leave the target's own default. */
  store: string | undefined;
  authUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** Absent when the tool process serves the callback itself and derives it. */
  redirectUri?: string;
  /** Port for the callback listener; "0" for ephemeral. */
  port: string;
  companyUrl: string;
  userEmail: string;
  /** The run's redis-server, for stores whose profile needs one. */
  redisUrl?: string;
  /** A key shared by the processes of one deployment, for stores that seal state. */
  sealKey: string;
}

export interface ProcessCommand {
  command: string;
  args: readonly string[];
}

export interface TargetDescription {
  name: string;
  /** Working directory for every process of the target. */
  cwd: string;
  /** The MCP server over stdio. */
  toolProcess: ProcessCommand;
  /** Extra arguments that make the tool process serve the callback too (single-process topology). */
  serveCallbackArgs: readonly string[];
  /** The HTTP server that handles the OAuth redirect. */
  callbackProcess: ProcessCommand;
  /** Readiness: the callback process announces on stdout; the tool process (with serveCallbackArgs) on stderr. */
  callbackReadyService: string;
  callbackPath: string;
  /** Target-specific environment for one process. */
  environment(input: TargetEnvironmentInput): Record<string, string>;
  tools: {
    /** Starts the flow; its result carries the authorize URL. */
    startFlow: string;
    /** Shows whether the token reached the tool process. */
    whoami: string;
  };
  /** Finds the authorize URL in the start tool's result. */
  authorizeUrlFrom(result: { structuredContent?: Record<string, unknown>; content?: unknown[] }): string | undefined;
  /** Stores this target can be configured with, and what each is (its reach decides what each scenario expects of it). */
  stores: Readonly<Record<string, StoreProfile>>;
  /** A tool that reports, in its structured content's `store`, which store the process uses. */
  statusTool: string;
  /** The text the target shows when the state is unknown or expired. */
  invalidStateMessage: string;
}
