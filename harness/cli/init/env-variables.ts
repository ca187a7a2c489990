/**
 * The environment variables the server reads, and what each is for, by its
 * name: the OAuth client id and secret, the redirect URI, the port, the
 * store selection (with the values the code compares it to), the provider
 * and site URLs. A name that fits none is listed for the user to settle.
 */
import type { SourceFile } from './source-files.ts';

export type EnvRole = 'clientId' | 'clientSecret' | 'redirectUri' | 'port' | 'store' | 'authUrl' | 'apiUrl' | 'companyUrl' | 'userEmail' | 'redisUrl' | 'sealKey' | 'timeout' | 'publicUrl' | 'harness';

export interface EnvVariable {
  name: string;
  role?: EnvRole;
}

export interface StoreSelection {
  variable: string;
  /** String values the code compares the variable with, in the order found. */
  values: string[];
  /** The value it takes when unset (compared together with undefined or ''), if that can be told. */
  defaultValue?: string;
}

const NAME = '[A-Z][A-Z0-9_]{1,}';
const READS = [
  new RegExp(`process\\.env\\.(${NAME})\\b`, 'g'),
  new RegExp(`process\\.env\\[\\s*['"](${NAME})['"]\\s*\\]`, 'g'),
];
/** `name: 'X_CLIENT_ID'` with what a variable's entry says of itself (required, default, description) close after it. */
const DECLARED_ENTRY = /\bname:\s*['"]([A-Z][A-Z0-9_]+)['"][^}]{0,80}?\b(?:required|default|description|optional)\s*:/g;
/** A key `X_CLIENT_ID:` or `PORT:` of an object: an upper-case name with an underscore, or a lone PORT. */
const DECLARED_KEY = /(?:^|[{,])\s*([A-Z][A-Z0-9]*_[A-Z0-9_]+|PORT)\s*:/gm;
const DESTRUCTURED = /(?:const|let|var)\s*\{([^}]*)\}\s*=\s*process\.env\b/g;
/** A helper that reads process.env by its parameter: `function required(name) { const value = process.env[name]; ...}`. */
const ENV_HELPER = /(?:function\s+([A-Za-z_$][\w$]*)\s*\(|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>)[^]{0,300}?process\.env\[\s*[A-Za-z_$]/g;

/** Roles by name, first match wins: the secret before the id, a redirect before any other URL. */
const ROLES: readonly [EnvRole, RegExp][] = [
  // Left alone: the harness sets TMPDIR and HOME per simulated host, and a store's file path is best left at its default there.
  ['harness', /^(?:TMPDIR|HOME|NODE_ENV|NODE_OPTIONS|CI|DEBUG|PATH|LOG_LEVEL)$|(?:SESSION|STATE|STORE|TOKEN)S?_(?:FILE|PATH|DIR)$/],
  ['sealKey', /(?:SEAL|ENCRYPTION|SIGNING)_?KEY$/],
  ['clientSecret', /CLIENT_?SECRET$/],
  ['clientId', /CLIENT_?ID$/],
  ['redirectUri', /(?:REDIRECT|CALLBACK)_?(?:URI|URL)$/],
  ['port', /(?:^|_)PORT$/],
  // The URL a remote server is reached at (its issuer, its resource): behind a balancer, the balancer's.
  ['publicUrl', /^(?:PUBLIC|BASE|EXTERNAL|SERVER)_URL$|^ISSUER(?:_URL)?$/],
  ['redisUrl', /^REDIS_?(?:URL|URI)$/],
  // The provider's authorize base (ATLASSIAN_AUTH_URL); an MCP authorization server's URL (AUTHORIZATION_SERVER_URL) is another thing.
  ['authUrl', /(?:^|_)AUTH(?:ORIZE)?_(?:URL|BASE(?:_URL)?|HOST|ENDPOINT)$|^AUTH_URL$|AUTHORIZATION_(?:URL|ENDPOINT)$/],
  ['apiUrl', /API_?(?:URL|BASE(?:_URL)?|HOST|ENDPOINT)$/],
  ['companyUrl', /(?:SITE|COMPANY|INSTANCE|JIRA|CLOUD)_?(?:URL|DOMAIN|HOST)$/],
  ['userEmail', /EMAIL$/],
  ['timeout', /TIMEOUT(?:_MS)?$/],
  ['store', /(?:STORE|BACKEND|STORAGE)$|SESSION_?(?:TYPE|MODE|DRIVER)$/],
];

export function envRoleOf(name: string): EnvRole | undefined {
  return ROLES.find(([, pattern]) => pattern.test(name))?.[0];
}

export function readEnvVariables(files: readonly SourceFile[]): EnvVariable[] {
  const names = new Set<string>();
  for (const { text } of files) {
    for (const pattern of READS) for (const m of text.matchAll(pattern)) names.add(m[1]!);
    // A table of variables (`{ name: 'X_CLIENT_ID', required: true, description: ... }`), wherever process.env is then handed to it.
    for (const m of text.matchAll(DECLARED_ENTRY)) names.add(m[1]!);
    // Keys of an object beside a read of process.env (`cleanEnv(process.env, { X_PORT: port() })`).
    if (/process\.env\b/.test(text)) for (const m of text.matchAll(DECLARED_KEY)) names.add(m[1]!);
    for (const m of text.matchAll(DESTRUCTURED)) {
      for (const part of m[1]!.split(',')) {
        const name = part.split(/[:=]/)[0]!.trim();
        if (/^[A-Z][A-Z0-9_]+$/.test(name)) names.add(name);
      }
    }
  }
  // `required('X_CLIENT_ID')`: names handed to such a helper, wherever it is called.
  const helpers = files.flatMap(({ text }) => [...text.matchAll(ENV_HELPER)].map((m) => (m[1] ?? m[2])!));
  for (const helper of new Set(helpers)) {
    const call = new RegExp(`\\b${helper.replace(/\$/g, '\\$')}\\(\\s*['"](${NAME})['"]\\s*[,)]`, 'g');
    for (const { text } of files) for (const m of text.matchAll(call)) names.add(m[1]!);
  }
  return [...names].sort().map((name) => {
    const role = envRoleOf(name);
    return role ? { name, role } : { name };
  });
}

const COMPARED = /(?:===?|!==?)\s*['"]([\w.-]+)['"]|case\s+['"]([\w.-]+)['"]\s*:|['"]([\w.-]+)['"]\s*(?:===?|!==?)/g;
const WINDOW = 600;

/** The values a store variable is compared with near where it is read; the one compared with undefined or '' is its default. */
export function readStoreSelection(variable: string, files: readonly SourceFile[]): StoreSelection {
  const values: string[] = [];
  let defaultValue: string | undefined;
  for (const { text } of files) {
    for (let at = text.indexOf(variable); at !== -1; at = text.indexOf(variable, at + variable.length)) {
      const near = text.slice(at, at + WINDOW);
      for (const m of near.matchAll(COMPARED)) {
        const value = m[1] ?? m[2] ?? m[3]!;
        if (['true', 'false', 'undefined', variable].includes(value) || values.includes(value)) continue;
        values.push(value);
      }
      // `value === undefined || value === '' || value === 'map'`: the unset variable means that value.
      const unset = /(?:===?\s*undefined|===?\s*['"]['"])[^;{]*?===?\s*['"]([\w.-]+)['"]/.exec(near);
      defaultValue ??= unset?.[1];
      // `process.env.X ?? 'map'`, `process.env.X || 'map'`
      defaultValue ??= new RegExp(`${variable}\\s*(?:\\?\\?|\\|\\|)\\s*['"]([\\w.-]+)['"]`).exec(near)?.[1];
      // A table entry's `default: 'x'`, or a fallback to a named constant: `str('X') ?? DEFAULT_STORE`.
      const close = text.slice(at, at + 200);
      defaultValue ??= /\bdefault:\s*['"]([\w.-]+)['"]/.exec(close)?.[1];
      const fallback = /(?:\?\?|\|\|)\s*([A-Z][A-Z0-9_]+)\b/.exec(close)?.[1];
      if (fallback) defaultValue ??= constantString(fallback, files);
      // `VARIABLE=value` in a text (`requiredWhen: 'SESSION_STORE=redis'`) names one of its values.
      const said = new RegExp(`^=([\\w.-]+)`).exec(text.slice(at + variable.length));
      if (said && !values.includes(said[1]!)) values.push(said[1]!);
      // Its values listed in a named array (`z.enum(STORE_KINDS)`, `${STORE_KINDS.join(' | ')}`).
      for (const m of close.matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]*(?:KINDS|TYPES|VALUES|NAMES|STORES|BACKENDS|OPTIONS))\b/g)) {
        for (const value of constantArray(m[1]!, files)) if (!values.includes(value)) values.push(value);
      }
    }
  }
  // The default first: it is the store the server runs with when nobody chooses.
  const ordered = defaultValue ? [defaultValue, ...values.filter((v) => v !== defaultValue)] : values;
  return { variable, values: ordered, ...(defaultValue ? { defaultValue } : {}) };
}

/** The string a constant is set to (`const DEFAULT_STORE: Kind = 'atomic-file'`), in any file. */
function constantString(name: string, files: readonly SourceFile[]): string | undefined {
  const pattern = new RegExp(`\\b${name}\\s*(?::[^=;]+)?=\\s*['"]([\\w.-]+)['"]`);
  for (const { text } of files) {
    const m = pattern.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

/** The strings a constant array lists (`const STORE_KINDS = ['memory', 'file'] as const`), in any file. */
function constantArray(name: string, files: readonly SourceFile[]): string[] {
  const pattern = new RegExp(`\\b${name}\\s*(?::[^=;]+)?=\\s*\\[([^\\]]*)\\]`);
  for (const { text } of files) {
    const m = pattern.exec(text);
    if (m) return [...m[1]!.matchAll(/['"]([\w.-]+)['"]/g)].map((v) => v[1]!);
  }
  return [];
}
