/**
 * Configuration of the system under test, read from an environment object so
 * tests can pass their own. Nothing secret has a default: a missing value is a
 * startup error that names the variable.
 */
import os from 'node:os';
import { z } from 'zod';
import { STORE_KINDS, type StoreKind } from './session-store.ts';
import { parseSealKey } from './stores/sealed-session.ts';
import { DEFAULT_OAUTH_PROVIDER, OAUTH_PROVIDERS, PROVIDER_DEFAULT_URLS, type OAuthProvider } from './providers/provider-name.ts';

/**
 * The store a server gets when nobody chooses: atomic-file, because "Which
 * fix to ship" ranks it first among the stores that need neither a server nor
 * any configuration (one host, several processes): once every case that
 * cannot apply left the tallies, it passes all of them (114/114 in the run
 * that changed this), where sqlite fails four broken-file cases (a corrupt or
 * emptied database is not named, not kept aside, and new flows stop) and
 * needs a native addon. The report checks the running tool process's default
 * against that recommendation on every run.
 */
export const DEFAULT_SESSION_STORE: StoreKind = 'atomic-file';

export interface ConfigVariable {
  name: string;
  required: boolean;
  /** When the variable is required only for some configurations, which (`SESSION_STORE=redis`). */
  requiredWhen?: string;
  /** Human-readable default, when there is one. */
  default?: string;
  description: string;
  /** The providers (OAUTH_PROVIDER) it is read for; every provider when absent. For another provider it is neither required nor read. */
  providers?: readonly OAuthProvider[];
}

const NOT_ATLASSIAN = OAUTH_PROVIDERS.filter((provider) => provider !== 'atlassian');

/** Every variable `src/` reads, for the README and for `--help`-like output. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  {
    name: 'OAUTH_PROVIDER',
    required: false,
    default: DEFAULT_OAUTH_PROVIDER,
    description: `Who users sign in with: ${OAUTH_PROVIDERS.join(' | ')}. Atlassian (Jira) by default; with another provider jira_whoami answers that provider's user (its id, email and name) instead of Jira's.`,
  },
  { name: 'ATLASSIAN_CLIENT_ID', required: true, providers: ['atlassian'], description: 'OAuth 2.0 (3LO) client id of the Atlassian app.' },
  { name: 'ATLASSIAN_CLIENT_SECRET', required: true, providers: ['atlassian'], description: 'OAuth client secret; never logged, masked wherever it would appear.' },
  { name: 'OAUTH_CLIENT_ID', required: true, providers: NOT_ATLASSIAN, description: 'Client id of the OAuth app at a provider other than Atlassian (OAUTH_PROVIDER).' },
  { name: 'OAUTH_CLIENT_SECRET', required: true, providers: NOT_ATLASSIAN, description: 'Its client secret; never logged, masked wherever it would appear.' },
  {
    name: 'OAUTH_REDIRECT_URI',
    required: true,
    description:
      'Redirect URI registered with Atlassian. Optional only when the process serves /oauth/callback itself: then http://127.0.0.1:PORT/oauth/callback from the bound port.',
  },
  { name: 'JIRA_COMPANY_URL', required: true, providers: ['atlassian'], description: 'Jira site URL (e.g. https://acme.atlassian.net); picks the cloud id among accessible resources.' },
  { name: 'JIRA_USER_EMAIL', required: true, description: 'Email of the user the flow is for; tokens are stored under it.' },
  { name: 'ATLASSIAN_AUTH_URL', required: false, providers: ['atlassian'], default: 'https://auth.atlassian.com', description: 'Authorization server base URL (/authorize, /oauth/token).' },
  { name: 'ATLASSIAN_API_URL', required: false, providers: ['atlassian'], default: 'https://api.atlassian.com', description: 'API gateway base URL (accessible-resources, /ex/jira/...).' },
  {
    name: 'OAUTH_AUTH_URL',
    required: false,
    providers: NOT_ATLASSIAN,
    default: 'github: https://github.com; google: https://accounts.google.com; gitlab: https://gitlab.com; microsoft: https://login.microsoftonline.com/organizations/v2.0; oidc: none (required)',
    description:
      "Another provider's sign-in host (github: /login/oauth/authorize, /login/oauth/access_token), or an OpenID provider's issuer, whose endpoints are read from ISSUER/.well-known/openid-configuration (a self-managed GitLab's base URL; Microsoft's https://login.microsoftonline.com/TENANT/v2.0).",
  },
  { name: 'OAUTH_API_URL', required: false, providers: ['github'], default: 'https://api.github.com', description: "GitHub's API host (GET /user); an OpenID provider's userinfo endpoint comes from discovery." },
  {
    name: 'SESSION_STORE',
    required: false,
    default: 'atomic-file',
    description: `Session store: ${STORE_KINDS.join(' | ')}. Default: the store REPORT.md's "Which fix to ship" recommends among those that need no server and no configuration.`,
  },
  {
    name: 'SESSION_FILE',
    required: false,
    default: 'json-file: ${os.tmpdir()}/jira-oauth-sessions.json; atomic-file and sqlite: ${os.tmpdir()}/jira-oauth-<uid>/sessions.{json,sqlite}',
    description:
      'Path of the file stores. json-file: the file (tokens in the sibling *.tokens.json). atomic-file: the file, in a folder that must be private (0700, ours). sqlite: the same path with .json replaced by .sqlite.',
  },
  {
    name: 'REDIS_URL',
    required: false,
    requiredWhen: 'SESSION_STORE=redis',
    description: 'redis:// or rediss:// URL of the Redis server of the redis store; never echoed (it may hold a password).',
  },
  {
    name: 'SESSION_SEAL_KEY',
    required: false,
    requiredWhen: 'SESSION_STORE=sealed-state',
    description:
      'Key of the sealed-state store: 32 random bytes as base64url (43 characters), the same in every process of the server; no default. Make one with: node -e "console.log(require(\'node:crypto\').randomBytes(32).toString(\'base64url\'))".',
  },
  {
    name: 'PUBLIC_URL',
    required: false,
    requiredWhen: 'the remote process (src/remote-process.ts)',
    description:
      'Remote mode: the origin MCP clients and browsers reach the server at (the balancer\'s, with replicas): its issuer, its resource (PUBLIC_URL/mcp) and its redirect URI at Atlassian (PUBLIC_URL/oauth/callback). Never taken from a request\'s Host header. https, or http on localhost/127.0.0.1/[::1]; no path.',
  },
  {
    name: 'AUTHORIZATION_SERVER_URL',
    required: false,
    description:
      'Remote mode only. Unset: the server is an OAuth proxy to Atlassian (its own /register, /authorize, /token). Set: it is a resource server only, trusting the tokens of this authorization server (its issuer; the introspection endpoint is read from its RFC 8414 metadata, and a token counts only when issued for PUBLIC_URL/mcp): it keeps no OAuth state, only MCP sessions, and the Jira tool has no Atlassian token to act with. https, or http on loopback.',
  },
  {
    name: 'TOKEN_INTROSPECTION_URL',
    required: false,
    description:
      'Resource mode only: the RFC 7662 introspection endpoint of AUTHORIZATION_SERVER_URL, for an authorization server whose metadata does not name one (the MCP SDK\'s example server). Default: its metadata\'s introspection_endpoint.',
  },
  { name: 'PORT', required: false, default: '0', description: 'Port of the HTTP server on 127.0.0.1 (0 = ephemeral): the callback process, or the remote process.' },
  { name: 'OAUTH_HTTP_TIMEOUT_MS', required: false, default: '10000', description: 'Timeout of every HTTP call to Atlassian, in milliseconds.' },
];

export interface Config {
  /** OAUTH_PROVIDER: who users sign in with. */
  provider: OAuthProvider;
  clientId: string;
  clientSecret: string;
  /** Undefined only when the process serves the callback and derives it after binding. */
  redirectUri: string | undefined;
  /** JIRA_COMPANY_URL; empty with a provider other than Atlassian (no Jira site then). */
  jiraCompanyUrl: string;
  userEmail: string;
  authUrl: string;
  apiUrl: string;
  sessionStore: StoreKind;
  /** SESSION_FILE when set; each file store has its own default otherwise (see createSessionStore). */
  sessionFile: string | undefined;
  /** REDIS_URL; always set when sessionStore is redis. */
  redisUrl: string | undefined;
  /** SESSION_SEAL_KEY decoded (32 bytes); always set when sessionStore is sealed-state. */
  sessionSealKey: Buffer | undefined;
  port: number;
  httpTimeoutMs: number;
}

/** The remote process's configuration: no single user and no redirect URI of its own to configure, but a public URL. */
export interface RemoteConfig extends Omit<Config, 'redirectUri' | 'userEmail'> {
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** AUTHORIZATION_SERVER_URL: set, the server is a resource server of that authorization server instead of a proxy to Atlassian. */
  authorizationServerUrl?: string;
  /** TOKEN_INTROSPECTION_URL: the introspection endpoint, when the authorization server's metadata names none. */
  introspectionUrl?: string;
}

export interface LoadConfigOptions {
  /** True when this process serves /oauth/callback: OAUTH_REDIRECT_URI may then be derived. */
  servesCallback?: boolean;
}

export interface ConfigIssue {
  variable: string;
  problem: string;
}

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map((i) => i.problem).join('\n'));
    this.name = 'ConfigError';
  }
  /** The first variable at fault, for callers that report one. */
  get variable(): string | undefined {
    return this.issues[0]?.variable;
  }
}

const httpUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'expected an http(s) URL');

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An absolute https URL, or http on loopback; undefined (and an issue) otherwise. */
function secureOrLoopback(value: string, ctx: z.RefinementCtx): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected an absolute URL such as https://mcp.example.com' });
    return undefined;
  }
  // The MCP SDK refuses an http issuer elsewhere than on loopback; say so at startup, naming the variable.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected https (http only on localhost, 127.0.0.1 or [::1])' });
  }
  return url;
}

const publicUrl = z.string().superRefine((value, ctx) => {
  const url = secureOrLoopback(value, ctx);
  if (!url) return;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected an origin only (no path, query, fragment or credentials)' });
  }
});

const redisUrl = z
  .string()
  .url('expected a URL such as redis://127.0.0.1:6379')
  .refine((v) => /^rediss?:\/\//.test(v), 'expected a redis:// or rediss:// URL');

const sealKey = z.string().transform((value, ctx) => {
  try {
    return parseSealKey(value);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});

const nonNegativeInt = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a non-negative integer')
    .transform(Number)
    .refine((n) => n <= max, `expected at most ${max}`);

/** Per-variable validators; secrets are never echoed in a message. */
const validators: Record<string, { schema: z.ZodTypeAny; secret?: boolean }> = {
  OAUTH_PROVIDER: { schema: z.enum(OAUTH_PROVIDERS) },
  ATLASSIAN_CLIENT_ID: { schema: z.string() },
  ATLASSIAN_CLIENT_SECRET: { schema: z.string(), secret: true },
  OAUTH_CLIENT_ID: { schema: z.string() },
  OAUTH_CLIENT_SECRET: { schema: z.string(), secret: true },
  OAUTH_AUTH_URL: { schema: httpUrl },
  OAUTH_API_URL: { schema: httpUrl },
  OAUTH_REDIRECT_URI: { schema: httpUrl },
  JIRA_COMPANY_URL: { schema: httpUrl },
  JIRA_USER_EMAIL: { schema: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address') },
  ATLASSIAN_AUTH_URL: { schema: httpUrl },
  ATLASSIAN_API_URL: { schema: httpUrl },
  SESSION_STORE: { schema: z.enum(STORE_KINDS) },
  SESSION_FILE: { schema: z.string() },
  REDIS_URL: { schema: redisUrl, secret: true },
  SESSION_SEAL_KEY: { schema: sealKey, secret: true },
  PUBLIC_URL: { schema: publicUrl },
  AUTHORIZATION_SERVER_URL: { schema: z.string().superRefine((value, ctx) => secureOrLoopback(value, ctx)) },
  TOKEN_INTROSPECTION_URL: { schema: z.string().superRefine((value, ctx) => secureOrLoopback(value, ctx)) },
  PORT: { schema: nonNegativeInt(65535) },
  OAUTH_HTTP_TIMEOUT_MS: {
    schema: nonNegativeInt(10 * 60 * 1000).refine((n) => n > 0, 'expected a positive integer'),
  },
};

export function defaultSessionFile(): string {
  // The write-up's exact path expression (template string, not path.join).
  return `${os.tmpdir()}/jira-oauth-sessions.json`;
}

const stripTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * Reads and validates the configuration. Throws ConfigError listing every
 * problem; each line names its variable (`Missing required environment
 * variable ATLASSIAN_CLIENT_SECRET`).
 */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const values = readVariables(env, (variable) => variable.required && !(variable.name === 'OAUTH_REDIRECT_URI' && options.servesCallback === true));
  const str = (name: string): string | undefined => values.get(name) as string | undefined;
  return {
    ...sharedConfig(values),
    redirectUri: str('OAUTH_REDIRECT_URI'),
    userEmail: str('JIRA_USER_EMAIL')!,
  };
}

/** Variables that only name one user or one redirect URI: the remote process has neither (every user signs in; PUBLIC_URL makes the redirect URI). */
const NOT_FOR_REMOTE = new Set(['OAUTH_REDIRECT_URI', 'JIRA_USER_EMAIL']);

/** The remote process's configuration: like loadConfig, with PUBLIC_URL required. Throws ConfigError. */
export function loadRemoteConfig(env: Record<string, string | undefined>): RemoteConfig {
  const values = readVariables(env, (variable) => variable.name === 'PUBLIC_URL' || (variable.required && !NOT_FOR_REMOTE.has(variable.name)));
  const authorizationServerUrl = values.get('AUTHORIZATION_SERVER_URL') as string | undefined;
  const introspectionUrl = values.get('TOKEN_INTROSPECTION_URL') as string | undefined;
  if (introspectionUrl && !authorizationServerUrl) {
    throw new ConfigError([{ variable: 'TOKEN_INTROSPECTION_URL', problem: 'TOKEN_INTROSPECTION_URL is for a resource server: set AUTHORIZATION_SERVER_URL too, or neither' }]);
  }
  return {
    ...sharedConfig(values),
    publicUrl: new URL(values.get('PUBLIC_URL') as string).origin,
    ...(authorizationServerUrl ? { authorizationServerUrl } : {}),
    ...(introspectionUrl ? { introspectionUrl } : {}),
  };
}

/** Validates every variable; throws ConfigError listing every problem. */
function readVariables(env: Record<string, string | undefined>, isRequired: (variable: ConfigVariable) => boolean): Map<string, unknown> {
  const issues: ConfigIssue[] = [];
  const values = new Map<string, unknown>();
  // The provider first: it decides which of the other variables are read at all.
  const providerRaw = env.OAUTH_PROVIDER?.trim();
  const providerParsed = z.enum(OAUTH_PROVIDERS).safeParse(providerRaw || DEFAULT_OAUTH_PROVIDER);
  const provider = providerParsed.success ? providerParsed.data : DEFAULT_OAUTH_PROVIDER;
  const readFor = (variable: ConfigVariable): boolean => variable.providers === undefined || variable.providers.includes(provider);

  for (const variable of CONFIG_VARIABLES.filter(readFor)) {
    const raw = env[variable.name];
    const present = raw !== undefined && raw.trim() !== '';
    const required = isRequired(variable);
    if (!present) {
      if (required) issues.push({ variable: variable.name, problem: `Missing required environment variable ${variable.name}` });
      continue;
    }
    const validator = validators[variable.name];
    if (!validator) throw new Error(`No validator for ${variable.name}`);
    const parsed = validator.schema.safeParse(raw.trim());
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => i.message).join('; ');
      const shown = validator.secret ? '' : `, got ${JSON.stringify(raw)}`;
      issues.push({ variable: variable.name, problem: `Invalid environment variable ${variable.name}: ${reason}${shown}` });
      continue;
    }
    values.set(variable.name, parsed.data);
  }
  if (PROVIDER_DEFAULT_URLS[provider] === undefined && !env.OAUTH_AUTH_URL?.trim()) {
    issues.push({ variable: 'OAUTH_AUTH_URL', problem: `Missing required environment variable OAUTH_AUTH_URL (required by OAUTH_PROVIDER=${provider}: the issuer)` });
  }
  // Variables that only one store needs, checked once SESSION_STORE is known.
  for (const variable of CONFIG_VARIABLES) {
    const when = variable.requiredWhen?.match(/^SESSION_STORE=(.+)$/)?.[1];
    const raw = env[variable.name];
    const present = raw !== undefined && raw.trim() !== '';
    if (when !== undefined && values.get('SESSION_STORE') === when && !present) {
      issues.push({ variable: variable.name, problem: `Missing required environment variable ${variable.name} (required by SESSION_STORE=${when})` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return values;
}

/** The part of the configuration every process reads alike. */
function sharedConfig(values: Map<string, unknown>): Omit<Config, 'redirectUri' | 'userEmail'> {
  const str = (name: string): string | undefined => values.get(name) as string | undefined;
  const num = (name: string): number | undefined => values.get(name) as number | undefined;
  const provider = (str('OAUTH_PROVIDER') as OAuthProvider | undefined) ?? DEFAULT_OAUTH_PROVIDER;
  const atlassian = provider === 'atlassian';
  // readVariables refused a provider without a default that was given no OAUTH_AUTH_URL.
  const defaults = PROVIDER_DEFAULT_URLS[provider] ?? { authUrl: '', apiUrl: '' };
  return {
    provider,
    clientId: str(atlassian ? 'ATLASSIAN_CLIENT_ID' : 'OAUTH_CLIENT_ID')!,
    clientSecret: str(atlassian ? 'ATLASSIAN_CLIENT_SECRET' : 'OAUTH_CLIENT_SECRET')!,
    jiraCompanyUrl: atlassian ? stripTrailingSlash(str('JIRA_COMPANY_URL')!) : '',
    authUrl: stripTrailingSlash(str(atlassian ? 'ATLASSIAN_AUTH_URL' : 'OAUTH_AUTH_URL') ?? defaults.authUrl),
    apiUrl: stripTrailingSlash(str(atlassian ? 'ATLASSIAN_API_URL' : 'OAUTH_API_URL') ?? defaults.apiUrl),
    sessionStore: (str('SESSION_STORE') as StoreKind | undefined) ?? DEFAULT_SESSION_STORE,
    sessionFile: str('SESSION_FILE'),
    redisUrl: str('REDIS_URL'),
    sessionSealKey: values.get('SESSION_SEAL_KEY') as Buffer | undefined,
    port: num('PORT') ?? 0,
    httpTimeoutMs: num('OAUTH_HTTP_TIMEOUT_MS') ?? 10_000,
  };
}

/** The redirect URI of a callback server bound on 127.0.0.1:port. */
export function redirectUriForPort(port: number): string {
  return `http://127.0.0.1:${port}/oauth/callback`;
}
