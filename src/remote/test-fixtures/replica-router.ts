/**
 * The tests' stand-in for the balancer: every replica names itself by one
 * PUBLIC_URL that nothing listens on, and the test decides which replica each
 * hop reaches by rewriting that origin to the replica's own.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/** url on the replica listening at replicaUrl, when url is on publicUrl; unchanged otherwise. */
export function onReplica(url: string | URL, publicUrl: string, replicaUrl: string): string {
  const parsed = new URL(url);
  if (parsed.origin !== new URL(publicUrl).origin) return parsed.href;
  const replica = new URL(replicaUrl);
  parsed.protocol = replica.protocol;
  parsed.host = replica.host;
  return parsed.href;
}

/** A fetch that sends requests for publicUrl to whichever replica `target()` names at the time. */
export function routedFetch(publicUrl: string, target: () => string): FetchLike {
  return (url, init) => fetch(onReplica(url, publicUrl, target()), init);
}
