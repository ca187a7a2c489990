/**
 * Sessions shaped like production ones (43-character base64url state and
 * PKCE verifier, an https redirect URI, a real-looking email, an epoch-ms
 * timestamp), derived from a seed and an index instead of drawn at random:
 * a census run and the kill runs planned from it then write the same bytes,
 * so "the N-th write" means the same write in both, and the checker knows
 * every state and verifier without being told.
 */
import { createHash } from 'node:crypto';
import type { OAuthSession } from '../../../src/session-store.ts';

const REDIRECT_URI = 'https://jira-mcp.example-corp.com/oauth/callback';

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

export function seededState(seed: string, index: number): string {
  return digest(`${seed}:state:${index}`);
}

export function seededVerifier(seed: string, index: number): string {
  return digest(`${seed}:verifier:${index}`);
}

export function seededSession(seed: string, index: number, now = Date.now()): OAuthSession {
  return {
    state: seededState(seed, index),
    codeVerifier: seededVerifier(seed, index),
    redirectUri: REDIRECT_URI,
    timestamp: now,
    userEmail: `user${String(index).padStart(5, '0')}@example-corp.com`,
  };
}
