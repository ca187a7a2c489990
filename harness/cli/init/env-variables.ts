/**
 * The environment variables the server reads, and what each is for, by its
 * name: the OAuth client id and secret, the redirect URI, the port, the
 * store selection (with the values the code compares it to), the provider
 * and site URLs. A name that fits none is listed for the user to settle.
 */
import type { SourceFile } from './source-files.ts';

export type EnvRole = 'clientId' | 'clientSecret' | 'redirectUri' | 'port' | 'store' | 'authUrl' | 'apiUrl' | 'companyUrl' | 'userEmail' | 'redisUrl' | 'timeout' | 'harness';

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
const DESTRUCTURED = /(?:const|let|var)\s*\{([^}]*)\}\s*=\s*process\.env\b/g;
/** A helper that reads process.env by its parameter: `function required(name) { const value = process.env[name]; ...}`. */
const ENV_HELPER = /(?:function\s+([A-Za-z_$][\w$]*)\s*\(|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>)[^]{0,300}?process\.env\[\s*[A-Za-z_$]/g;

/** Roles by name, first match wins: the secret before the id, a redirect before any other URL. */
const ROLES: readonly [EnvRole, RegExp][] = [
  ['harness', /^(?:TMPDIR|HOME|NODE_ENV|NODE_OPTIONS|CI|DEBUG|PATH|LOG_LEVEL)$/],
  ['clientSecret', /CLIENT_?SECRET$/],
  ['clientId', /CLIENT_?ID$/],
  ['redirectUri', /(?:REDIRECT|CALLBACK)_?(?:URI|URL)$/],
  ['port', /(?:^|_)PORT$/],
  ['redisUrl', /^REDIS_?(?:URL|URI)$/],
  ['authUrl', /AUTH(?:ORIZATION|ORIZE)?_?(?:SERVER_?)?(?:URL|BASE(?:_URL)?|HOST|ENDPOINT)$/],
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
    }
  }
  if (defaultValue && !values.includes(defaultValue)) values.unshift(defaultValue);
  return { variable, values, ...(defaultValue ? { defaultValue } : {}) };
}
