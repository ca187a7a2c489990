/**
 * Micro-benchmark of src/'s own state generator, in-process: the OAuth
 * manager's startAuthorization() with a store that keeps nothing, so
 * 100,000 draws take well under a second. This is the one place the
 * security checks import src/: a micro-benchmark of the generator itself
 * needs its code in this process, and no other check may; its figures are labelled "in-process, src/ only" and never stand in for
 * what a target's tool process issues over MCP.
 */
import { performance } from 'node:perf_hooks';
import { OAuthManager } from '../../../src/oauth-manager.ts';
import { silentLogger } from '../../../src/log.ts';
import type { SessionStore } from '../../../src/session-store.ts';

/** Accepts every session and forgets it: the benchmark measures the generator, not a store. */
const discardStore: SessionStore = {
  kind: 'memory',
  put: async () => undefined,
  get: async () => undefined,
  take: async () => undefined,
  delete: async () => undefined,
  count: async () => 0,
  close: async () => undefined,
};

export interface GeneratorDraws {
  states: string[];
  challenges: string[];
  drawsPerSecond: number;
  durationMs: number;
}

export async function drawStatesInProcess(count: number): Promise<GeneratorDraws> {
  const manager = new OAuthManager({
    config: {
      clientId: 'benchmark-client',
      clientSecret: 'benchmark-only-not-a-secret',
      redirectUri: 'http://127.0.0.1:1/oauth/callback',
      authUrl: 'http://127.0.0.1:1',
      userEmail: 'benchmark@example.invalid',
      httpTimeoutMs: 1000,
    },
    store: discardStore,
    logger: silentLogger,
  });
  const states: string[] = new Array(count);
  const challenges: string[] = new Array(count);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const { state, authUrl } = await manager.startAuthorization();
    states[i] = state;
    challenges[i] = new URL(authUrl).searchParams.get('code_challenge') ?? '';
  }
  const durationMs = performance.now() - started;
  return { states, challenges, durationMs: Math.round(durationMs), drawsPerSecond: Math.round(count / (durationMs / 1000)) };
}
