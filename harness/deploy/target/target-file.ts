/**
 * What a user writes to point the battery at their MCP server: a TypeScript
 * module anywhere, `export default defineTarget({...})`, passed with
 * `npm run repro -- --target PATH`. Every field is described here; the
 * harness validates the file (target-file-schema.ts) and never imports the
 * server itself.
 */
import type { ProviderName } from '../../../fixtures/atlassian-mock/providers/provider-hosts.ts';
import type { StoreProfile } from '../../core/store-profile.ts';
import type { RemoteServer } from './remote-target-file.ts';

/**
 * What the harness hands the target's `env` function (and `launch.config`) for one process. The README's
 * "What `input` holds" table gives each field's value per topology.
 */
export interface TargetInputs {
  /** `tool`: MCP over stdio; `callback`: the HTTP callback server; `both`: one process doing both (single-process topology). */
  role: 'tool' | 'callback' | 'both';
  /** The store to configure, by the name in `stores`; undefined: leave the target's own default (set no store variable). */
  store: string | undefined;
  /** The run's loopback mock of auth.atlassian.com and api.atlassian.com (for targets that take the provider URLs from variables); the same URL. */
  authUrl: string;
  apiUrl: string;
  /** The OAuth client registered at the mock for this deployment (every process of it gets the same). */
  clientId: string;
  clientSecret: string;
  /**
   * The redirect URI registered at the mock (`http://localhost:<port><callbackPath>`). Undefined for the
   * process that listens (`callback`, or `both`) when the port is `announced` and not yet known: that process
   * derives it from the port it announces. A restarted callback gets its old port's URI.
   */
  redirectUri: string | undefined;
  /** Port for the callback listener: the harness's free port when `assigned`, '0' when `announced`; always '0' for the tool process. */
  port: string;
  /** The simulated host's temporary folder ('/tmp' when the host has a private /tmp, else the host's folder) and home (also set as TMPDIR and HOME). */
  tmpDir: string;
  homeDir: string;
  /** The Jira site the mock's accessible-resources lists for the signed-in user (https://acme.atlassian.net), and a user of this deployment (distinct per deployment). */
  companyUrl: string;
  userEmail: string;
  /** The run's redis-server, for stores whose profile needs one; undefined when the run started none. */
  redisUrl: string | undefined;
  /** A key shared by the processes of one deployment, for stores that seal state (32 random bytes, base64url). */
  sealKey: string;
  /**
   * How long each call to the provider should wait before giving up (ms), when a measurement wants it short
   * (the provider-fault cases, where the token endpoint hangs); undefined: the target's own. A target that
   * cannot be told is judged on how long its user then waits.
   */
  providerTimeoutMs: string | undefined;
}

export interface ProcessCommand {
  /** An executable (no shell). `node` means the harness's own Node binary. */
  command: string;
  args?: readonly string[];
  /** Fixed variables for this process (merged under `env(inputs)`). */
  env?: Readonly<Record<string, string>>;
}

/**
 * One of the target's processes: its own `command`, or, when the target file
 * gives `launch` and this process no `command`, the factory module run
 * through the harness's stdio launcher with `args` after the launcher's own
 * (left in process.argv for the module to read, e.g. `--http-server`).
 */
export interface TargetProcess {
  /** An executable (no shell). `node` means the harness's own Node binary. Required unless the target file gives `launch`. */
  command?: string;
  args?: readonly string[];
  /** Fixed variables for this process (merged under `env(inputs)`). */
  env?: Readonly<Record<string, string>>;
}

/**
 * A server with no stdio entry of its own: a module exporting a factory for
 * an MCP host (`export default function createServer({ config })`). The
 * harness runs it with its own launcher and loader, so the target file
 * names no path into the harness or into tsx.
 */
export interface FactoryLaunch {
  /** The module exporting the factory: relative to `cwd`, or absolute. JavaScript, or TypeScript (loaded with the harness's tsx). */
  factory: string;
  /** The export that is the factory (default: the default export). */
  export?: string;
  /**
   * What the factory is called with as `{ config }`, per process: an object, or a function of the same
   * `input` that `env` gets (a deployment's own client id, site, store...). It goes on the command line
   * as JSON, so it must be plain data. Default `{}`.
   */
  config?: Readonly<Record<string, unknown>> | ((input: TargetInputs) => Record<string, unknown>);
}

export type { Readiness } from './readiness.ts';
import type { Readiness } from './readiness.ts';

/** Where a value is in a tool's result: a field of structuredContent, or a regex over its text (first group, or the whole match). */
export type ResultLocator = { field: string } | { pattern: RegExp };

export interface TargetFile {
  /** Shown in the report. */
  name: string;
  /** Working directory of every process, relative to the target file (default: the file's folder). */
  cwd?: string;
  /** Run once per run before any process starts (e.g. `npm run build`). */
  build?: ProcessCommand;
  /** A factory module the harness runs through its own stdio launcher: every process without a `command` is that module. */
  launch?: FactoryLaunch;
  /** The MCP server over stdio. Readiness: MCP `initialize` unless given. Required unless `launch` is given (then it defaults to the launched module alone). */
  tool?: TargetProcess & { ready?: Readiness };
  /** The HTTP server that handles the OAuth redirect, as its own process (split topologies). */
  callback: TargetProcess & { ready: Readiness };
  /** One process that is both (single-process topology): usually the tool command plus a flag or variable. */
  both: TargetProcess & { ready: Readiness };
  /** `announced`: the callback listens on port 0 and its readiness says the port; `assigned`: the harness picks a free port and passes it. */
  port: 'announced' | 'assigned';
  /** The path of the redirect URI (default /oauth/callback). */
  callbackPath?: string;
  /** A path on the callback server that answers while it is alive (default /health); null: none. */
  healthPath?: string | null;
  /** The environment of one process, in the target's own variable names. */
  env(inputs: TargetInputs): Record<string, string>;
  /**
   * `hard-coded`: the server calls https://auth.atlassian.com and https://api.atlassian.com itself. For a Node
   * server a preload redirects those to the run's mock and refuses every other host; for any other runtime its
   * processes resolve those hosts to the run's TLS front of the mock (their mount namespace's /etc/hosts, and no
   * other name resolves) and trust only a CA made for the run (the system bundle and SSL_CERT_FILE,
   * REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS): that needs mount namespaces and port 443 (root).
   * `from-env`: it takes the provider URLs from its environment (`env` passes authUrl / apiUrl).
   */
  providerHosts: 'hard-coded' | 'from-env';
  /**
   * Who the server signs in with: the provider profile the run's mock plays
   * (fixtures/atlassian-mock/providers/provider-hosts.ts) and whose hosts the
   * preload redirects. Default 'atlassian'.
   */
  provider?: ProviderName;
  /** `node`: the harness may preload code into the processes (host interception, virtual clock). */
  runtime: 'node' | 'other';
  /** The tool that starts a flow and where the authorize URL is in its result. */
  startFlow: { tool: string; args?: Readonly<Record<string, unknown>>; authorizeUrl: ResultLocator };
  /**
   * How to read the callback page (its text, tags stripped, entities decoded), never by the status code alone.
   * `invalidState`'s match is the message the user saw (for the write-up's server:
   * `Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.`).
   * A page matching none of them is another failure.
   * `refused` names the target's own refusal pages, by what they refuse (e.g. `{ expired: /OAuth session expired/ }`):
   * the report quotes the target's words. A refusal is judged without them too: a page that is not a success
   * and no token redemption at the provider for that flow.
   */
  callbackPage: { success: RegExp; invalidState: RegExp; failure?: RegExp; refused?: Readonly<Record<string, RegExp>> };
  /** A tool that shows who the tool process is signed in as (the token reached it); absent: the hand-off is "not observable". */
  tokenTool?: { tool: string; identity: ResultLocator };
  /** A tool whose structuredContent names the store in use (to check the default store). */
  statusTool?: { tool: string; storeField: string };
  /** The stores it can be set to, each with its reach; a server with one fixed store lists that one. */
  stores: Readonly<Record<string, StoreProfile>>;
  /** The store used when no store is configured (or the one fixed store). */
  defaultStore?: string;
  /** true: the tool process may print non-MCP lines on stdout; the harness keeps going either way and counts them as a finding. */
  stdoutMayCarryNonMcp?: boolean;
  /**
   * A module exporting the target's session stores (`createSessionStore(kind, options)`), for the rows that
   * drive a store directly (micro-benchmarks, crash injection inside the store). Absent: those rows say
   * "needs a store module". Today only src/ gives one.
   */
  storeModule?: string;
  /**
   * Which of its stores follow the write-up's two designs, for the claims C1–C9: `memory` (a static Map,
   * one process) and `file` (one JSON file every process reads and rewrites). Absent: a store named
   * `memory` / `json-file`, else the only store whose reach is `process` / `host`; none, or several and
   * none of those names: the claims about it are unknown, and say why.
   */
  claimStores?: { memory?: string; file?: string };
  /** The same server over Streamable HTTP with MCP authorization (remote-target-file.ts): the remote scenarios run it as replicas behind a balancer. */
  remote?: RemoteServer;
}

/** Types a target file; the harness validates it again when it loads it (a JavaScript file has no compiler). */
export function defineTarget(target: TargetFile): TargetFile {
  return target;
}
