/**
 * The provider hosts the server's code names. The run's mock plays
 * Atlassian (auth.atlassian.com, api.atlassian.com): a server that names
 * them is intercepted by the harness's preload; one that names another
 * provider cannot be diagnosed against this mock, and init says so.
 */
import type { SourceFile } from './source-files.ts';

export const MOCKED_HOSTS = ['auth.atlassian.com', 'api.atlassian.com'] as const;
/** Sign-in hosts of other providers: named so the message can say which. */
const OTHER_PROVIDERS = /^(?:github\.com|api\.github\.com|accounts\.google\.com|oauth2\.googleapis\.com|login\.microsoftonline\.com|gitlab\.com|slack\.com|[\w-]+\.auth0\.com|[\w-]+\.okta\.com|api\.notion\.com|login\.salesforce\.com)$/;

export interface ProviderHosts {
  mocked: string[];
  others: string[];
}

export function readProviderHosts(files: readonly SourceFile[]): ProviderHosts {
  const hosts = new Set<string>();
  for (const { text } of files) for (const m of text.matchAll(/https:\/\/([a-z0-9.-]+\.[a-z]{2,})/gi)) hosts.add(m[1]!.toLowerCase());
  // A bare host in a literal (`const AUTH_HOST = 'auth.atlassian.com'`, for node:https options) counts too.
  for (const { text } of files) for (const host of MOCKED_HOSTS) if (text.includes(`'${host}'`) || text.includes(`"${host}"`)) hosts.add(host);
  return { mocked: MOCKED_HOSTS.filter((h) => hosts.has(h)), others: [...hosts].filter((h) => OTHER_PROVIDERS.test(h)).sort() };
}
