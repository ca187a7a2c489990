/**
 * What a written target file's `env(input)` gives each variable the server
 * reads, by the variable's role: the inputs a stdio target and a remote one
 * share, each kind adding its own (a redirect URI, a port, a public URL).
 */
import type { EnvRole } from './env-variables.ts';

export type EnvValues = Partial<Record<EnvRole, (name: string) => string>>;

export const SHARED_ENV_VALUES: EnvValues = {
  clientId: (n) => `${n}: input.clientId,`,
  clientSecret: (n) => `${n}: input.clientSecret,`,
  store: (n) => `...(input.store ? { ${n}: input.store } : {}),`,
  authUrl: (n) => `${n}: input.authUrl,`,
  apiUrl: (n) => `${n}: input.apiUrl,`,
  companyUrl: (n) => `${n}: input.companyUrl,`,
  userEmail: (n) => `${n}: input.userEmail,`,
  redisUrl: (n) => `...(input.redisUrl ? { ${n}: input.redisUrl } : {}),`,
  sealKey: (n) => `${n}: input.sealKey,`,
};
