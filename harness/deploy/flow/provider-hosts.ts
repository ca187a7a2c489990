/**
 * The providers' real hosts, as a target may hard-code them, and where a run
 * sends them instead: the run's loopback mock. The user agent visits only
 * loopback; an authorize URL on auth.atlassian.com (or github.com, ...) is
 * rewritten to the mock first (the preload does the same inside the target's
 * processes, for the run's provider's hosts).
 */
import { PROVIDER_HOSTS as HOSTS_BY_PROVIDER, type ProviderName } from '../../../fixtures/atlassian-mock/providers/provider-hosts.ts';

/** Every profile's hosts: a run has one mock, playing one provider, and whatever provider host a target names goes there. */
export const PROVIDER_HOSTS: readonly string[] = Object.values(HOSTS_BY_PROVIDER).flatMap((profile) => profile.hosts);

/** The hosts one provider answers for, as the preload's OAUTH_REPRO_PROVIDER_HOSTS lists them. */
export function hostsOf(provider: ProviderName): readonly string[] {
  return HOSTS_BY_PROVIDER[provider].hosts;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export const isLoopback = (url: URL) => LOOPBACK.has(url.hostname);

/** The same path and query on the mock, when the URL is on a provider host; the URL itself otherwise. */
export function toMock(url: string, mockUrl: string): string {
  const parsed = new URL(url);
  if (!PROVIDER_HOSTS.includes(parsed.hostname)) return url;
  const mock = new URL(mockUrl);
  parsed.protocol = mock.protocol;
  parsed.host = mock.host;
  return parsed.toString();
}
