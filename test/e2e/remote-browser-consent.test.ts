/**
 * Regression: remote flows under --browser used to skip the provider's
 * consent page. The mock answered the consent post with a 302 under a
 * consent page whose form-action named only the redirect_uri's origin, and
 * Chromium applies form-action to every redirect after the post: for an
 * OAuth proxy (src/'s remote mode) the chain consent post → the proxy's
 * provider callback → the MCP client's loopback stopped at the second
 * redirect, so the remote table consented without a page, and a combined run
 * played its remote flows with the HTTP user agent anyway.
 *
 * Here, the combined battery as `npm run repro -- --browser` runs it (no
 * stdio cell, one remote scenario × store): two replicas of src/'s remote
 * mode behind haproxy, round-robin, a store both share (redis), every flow
 * played in the run's one Chromium, through the consent page, accepted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRemoteScenarios } from '../../harness/core/load-scenarios.ts';
import type { RemoteCellResult } from '../../harness/core/remote-cell-result.ts';
import { chromiumMissing } from '../../harness/deploy/browser/chromium.ts';
import type { RemoteHop } from '../../harness/deploy/remote/hop.ts';
import { loadAnyTarget } from '../../harness/deploy/target/load-target.ts';
import { runBattery } from '../../harness/engine/run-battery.ts';

const missing = chromiumMissing();
const scenarios = await loadRemoteScenarios();
const scenario = scenarios.find((s) => s.name === 'two-replicas-roundrobin')!;
const sessionHash = scenarios.find((s) => s.name === 'two-replicas-session-hash')!;

/** The kinds of hop a whole remote flow makes, from the first 401 to the tool call. */
const EVERY_HOP = ['initialize', 'resource-metadata', 'as-metadata', 'registration', 'authorize', 'provider-callback', 'redirect-uri', 'token', 'tool-call'] as const;

describe.skipIf(missing !== undefined)(`remote flows in a combined --browser run${missing ? ` (skipped: ${missing})` : ''}`, () => {
  test('two replicas round-robin × redis: every flow completes in Chromium through every hop, the consent a page, accepted', async () => {
    const progress: string[] = [];
    const target = await loadAnyTarget('src/repro.target.ts');
    if (target.kind !== 'stdio') throw new Error('src/repro.target.ts is expected to describe a stdio server with a remote mode');
    const { document, run } = await runBattery({
      target: target.target,
      scenarios: [],
      stores: ['redis'],
      remoteScenarios: [scenario],
      conformance: false,
      browser: true,
      command: 'remote-browser-consent.test',
      onProgress: (message) => progress.push(message),
    });
    const [cell] = document.remoteCells ?? [];
    const say = (c: RemoteCellResult | undefined) => `${JSON.stringify(c, null, 1)}\nprogress:\n${progress.join('\n')}`;
    expect(cell, say(cell)).toBeDefined();
    expect(cell!.harnessError, say(cell)).toBeUndefined();
    expect(progress.join('\n')).toMatch(/Chromium \S+ plays the user in every scenario and every remote flow; the provider shows its consent page/);

    expect(cell!.completed, say(cell)).toBe(scenario.flows);
    expect(cell!.matched, say(cell)).toBe(true);
    for (const flow of cell!.flows) {
      expect(flow, say(cell)).toMatchObject({ outcome: { outcome: 'completed' }, userAgent: 'chromium', consent: 'page, accepted', replicas: ['a', 'b'] });
    }

    const lines = readFileSync(path.join(run.dir, cell!.historyFile), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; hops?: RemoteHop[] });
    const flows = lines.filter((line) => line.type === 'flow');
    expect(flows).toHaveLength(scenario.flows);
    for (const { hops = [] } of flows) {
      const said = hops.map((hop) => `${hop.by} ${hop.kind} ${hop.method} ${hop.status ?? '–'} ${hop.replica ?? ''} ${hop.url}`).join('\n');
      expect([...new Set(hops.map((hop) => hop.kind))], said).toEqual(expect.arrayContaining([...EVERY_HOP]));
      // Every request answered, and no error but the two a flow expects: the first initialize's 401 (what starts the
      // authorization) and the 405 to the optional server-to-client stream (GET /mcp), which this server does not offer.
      const expectedRefusal = (hop: RemoteHop) => (hop.index === 0 && hop.kind === 'initialize' && hop.status === 401) || (hop.method === 'GET' && hop.status === 405);
      expect(hops.filter((hop) => hop.status === undefined || (hop.status >= 400 && !expectedRefusal(hop))), said).toEqual([]);
      // The browser's walk: the server's /authorize, the provider's consent page and its post, the provider's answer at the server, the client's loopback.
      const browser = hops.filter((hop) => hop.by === 'user-agent');
      expect(browser.map((hop) => `${hop.kind} ${hop.method} ${hop.status}`), said).toEqual([
        'authorize GET 302',
        'other GET 200',
        'other POST 200',
        'provider-callback GET 302',
        'redirect-uri GET 200',
      ]);
      expect(new URL(browser[2]!.url).pathname, said).toBe('/authorize/consent');
      // Both hops at the balancer name the replica that served them; the client's hops went to both replicas.
      for (const hop of [browser[0]!, browser[3]!]) expect(hop.replica, said).toMatch(/^[ab]$/);
      expect(new Set(hops.filter((hop) => hop.by === 'client' && hop.replica).map((hop) => hop.replica)), said).toEqual(new Set(['a', 'b']));
    }
  }, 180_000);

  test('a proxy that lost the pending authorization: the walk stops on its error page at once, the server\'s words recorded', async () => {
    const target = await loadAnyTarget('src/repro.target.ts');
    if (target.kind !== 'stdio') throw new Error('src/repro.target.ts is expected to describe a stdio server with a remote mode');
    // Hashing on Mcp-Session-Id sends the browser's hops (no session id) to one replica and the client's elsewhere:
    // with memory, the flow that gets to the provider comes back to a replica that never saw its /authorize.
    const { document, run } = await runBattery({ target: target.target, scenarios: [], stores: ['memory'], remoteScenarios: [sessionHash], conformance: false, browser: true, command: 'remote-browser-consent.test' });
    const cell = document.remoteCells![0]!;
    const lines = readFileSync(path.join(run.dir, cell.historyFile), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; consent?: string; hops?: RemoteHop[] });
    const lost = lines.filter((line) => line.type === 'flow' && line.consent === 'page, accepted');
    expect(lost.length, JSON.stringify(cell, null, 1)).toBeGreaterThan(0);
    for (const flow of lost) {
      const failed = flow.hops!.find((hop) => hop.by === 'user-agent' && hop.kind === 'provider-callback')!;
      expect(failed.status).toBe(400);
      expect(failed.errorText).toContain('Invalid or expired OAuth state parameter');
    }
    // Not after the tab's 15 s navigation timeout: nothing on an error page sends the browser on, so nothing is waited for.
    for (const flow of cell.flows.filter((f) => f.consent === 'page, accepted')) expect(flow.durationMs).toBeLessThan(15_000);
  }, 120_000);
});
