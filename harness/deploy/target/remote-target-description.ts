/**
 * A remote server's description, resolved from its target file: defaults
 * filled in, readiness as a list. What the remote deployment and the remote
 * scenarios read; a stdio target that also gives `remote` carries one too.
 */
import type { StoreProfile } from '../../core/store-profile.ts';
import type { RemoteInputs, RemoteOAuthRole, RemoteServer, RemoteTargetFile } from './remote-target-file.ts';
import type { Readiness } from './readiness.ts';

export type { RemoteInputs };

export interface RemoteServerDescription {
  command: string;
  args: readonly string[];
  env(input: RemoteInputs): Record<string, string>;
  ready: readonly Readiness[];
  /** At least one; the MCP endpoint's first. */
  listeners: readonly string[];
  mcpPath: string;
  publicUrl: 'from-env' | 'own-port';
  oauth: RemoteOAuthRole;
  toolCall: { name: string; arguments: Readonly<Record<string, unknown>> };
}

export interface RemoteTargetDescription {
  name: string;
  source: { file: string; version?: string };
  /** Working directory of every replica (absolute). */
  cwd: string;
  remote: RemoteServerDescription;
  stores: Readonly<Record<string, StoreProfile>>;
  defaultStore?: string;
}

export function resolveRemoteServer(remote: RemoteServer): RemoteServerDescription {
  return {
    command: remote.command,
    args: remote.args ?? [],
    env: (input) => remote.env(input),
    ready: Array.isArray(remote.ready) ? remote.ready : [remote.ready as Readiness],
    listeners: remote.listeners ?? ['mcp'],
    mcpPath: remote.mcpPath ?? '/mcp',
    publicUrl: remote.publicUrl,
    oauth: remote.oauth,
    toolCall: { name: remote.toolCall.name, arguments: remote.toolCall.arguments ?? {} },
  };
}

/** A remote-only target file, resolved against its folder. */
export function resolveRemoteTarget(target: RemoteTargetFile, file: string, cwd: string, version: string | undefined): RemoteTargetDescription {
  return {
    name: target.name,
    source: { file, ...(version ? { version } : {}) },
    cwd,
    remote: resolveRemoteServer(target.remote),
    stores: target.stores,
    ...(target.defaultStore ? { defaultStore: target.defaultStore } : {}),
  };
}
