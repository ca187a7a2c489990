/**
 * harness/deploy/target/: how the harness knows a server: its description, never an import.
 *
 * A target file (target-file.ts), validated and resolved: absolute working
 * directory, defaults filled in, and the locators turned into functions.
 * Everything in the harness that needs to know about a server reads this.
 */
import type { StoreProfile } from '../../core/store-profile.ts';
import type { ProviderName } from '../../../fixtures/atlassian-mock/providers/provider-hosts.ts';
import type { ProcessCommand, Readiness, TargetInputs, TargetProcess } from './target-file.ts';
import type { RemoteServerDescription } from './remote-target-description.ts';

export type { ProcessCommand, Readiness, TargetInputs, TargetProcess };

/** `launch` of the target file, resolved: an absolute module path, the export's name, the config as a function. */
export interface ResolvedFactoryLaunch {
  modulePath: string;
  exportName: string;
  config(inputs: TargetInputs): Readonly<Record<string, unknown>>;
}

/** What a tool call returned, as far as a locator reads it. */
export interface ToolResultView {
  structuredContent?: Record<string, unknown>;
  text: string;
}

export interface TargetDescription {
  name: string;
  /** The target file, and the version of what it describes (git commit of its checkout, or its package version). */
  source: { file: string; version?: string };
  /** Working directory of every process (absolute). */
  cwd: string;
  build?: ProcessCommand;
  /** A factory module run through the harness's stdio launcher: what each process without a `command` runs. */
  launch?: ResolvedFactoryLaunch;
  tool: TargetProcess & { ready: Readiness };
  callback: TargetProcess & { ready: Readiness };
  both: TargetProcess & { ready: Readiness };
  port: 'announced' | 'assigned';
  callbackPath: string;
  healthPath: string | null;
  env(inputs: TargetInputs): Record<string, string>;
  providerHosts: 'hard-coded' | 'from-env';
  /** Who it signs in with: the profile the run's mock plays ('atlassian' unless the target file says). */
  provider: ProviderName;
  runtime: 'node' | 'other';
  tools: {
    /** Starts the flow; its result carries the authorize URL. */
    startFlow: string;
    startFlowArgs: Readonly<Record<string, unknown>>;
  };
  /** Finds the authorize URL in the start tool's result. */
  authorizeUrlFrom(result: ToolResultView): string | undefined;
  /** A tool that shows who the tool process is signed in as; absent: the token hand-off is not observable. */
  tokenTool?: {
    tool: string;
    /** The identity (account id or email) in the tool's result. */
    identityFrom(result: ToolResultView): string | undefined;
  };
  /** A tool whose result names the store in use. */
  statusTool?: { tool: string; storeFrom(result: ToolResultView): string | undefined };
  callbackPage: { success: RegExp; invalidState: RegExp; failure?: RegExp; refused?: Readonly<Record<string, RegExp>> };
  /** Stores this target can be configured with, and what each is (its reach decides what each scenario expects of it). */
  stores: Readonly<Record<string, StoreProfile>>;
  defaultStore?: string;
  stdoutMayCarryNonMcp: boolean;
  /** Absolute path of a module with the target's store code, when it gives one. */
  storeModule?: string;
  /** Which stores the target file says follow the write-up's designs (write-up-stores.ts fills in the rest). */
  claimStores?: { memory?: string; file?: string };
  /** The same server over Streamable HTTP with MCP authorization, for the remote scenarios (replicas behind a balancer). */
  remote?: RemoteServerDescription;
}
