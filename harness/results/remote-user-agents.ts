/**
 * Who played the user in a remote cell's flows, and what they met at the
 * provider, in a few words for the progress line: so a --browser run shows
 * that Chromium did play the remote flows, through the consent page, and a
 * run that fell back to the HTTP user agent shows that too.
 */
import type { RemoteFlowRecord } from '../core/remote-cell-result.ts';

export function describeUserAgents(flows: readonly Pick<RemoteFlowRecord, 'userAgent' | 'consent'>[]): string {
  if (flows.length === 0) return 'no flow';
  const count = (pick: (flow: (typeof flows)[number]) => string | undefined) => {
    const counts = new Map<string, number>();
    for (const flow of flows) {
      const key = pick(flow);
      if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([key, n]) => `${key} ${n}/${flows.length}`);
  };
  const agents = count((flow) => (flow.userAgent === 'chromium' ? 'Chromium' : 'HTTP user agent'));
  const consents = count((flow) => (flow.consent === undefined ? undefined : flow.consent === 'automatic' ? 'no consent page' : `consent ${flow.consent}`));
  return [...agents, ...consents].join(', ');
}
