/**
 * The provider's real hosts, as a target may hard-code them, and where a run
 * sends them instead: the run's loopback mock. The user agent visits only
 * loopback; an authorize URL on auth.atlassian.com is rewritten to the mock
 * first (the preload does the same inside the target's processes).
 */
export const PROVIDER_HOSTS = ['auth.atlassian.com', 'api.atlassian.com'] as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export const isLoopback = (url: URL) => LOOPBACK.has(url.hostname);

/** The same path and query on the mock, when the URL is on a provider host; the URL itself otherwise. */
export function toMock(url: string, mockUrl: string): string {
  const parsed = new URL(url);
  if (!(PROVIDER_HOSTS as readonly string[]).includes(parsed.hostname)) return url;
  const mock = new URL(mockUrl);
  parsed.protocol = mock.protocol;
  parsed.host = mock.host;
  return parsed.toString();
}
