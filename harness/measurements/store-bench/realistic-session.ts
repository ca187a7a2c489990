/**
 * Sessions shaped like the ones a production server stores, so that byte and
 * heap counts mean something: state and PKCE verifier are 32 random bytes in
 * base64url (43 characters, as src/oauth-manager.ts makes them), an https
 * redirect URI on a corporate host, a real-looking email, a real epoch-ms
 * timestamp. Localhost URIs and `dev@acme.test` would under-count every byte.
 */
import { randomBytes } from 'node:crypto';
import type { OAuthSession } from '../../../src/session-store.ts';

export const REALISTIC_REDIRECT_URI = 'https://jira-mcp.example-corp.com/oauth/callback';
export const REALISTIC_EMAIL = 'firstname.lastname@example-corp.com';

const FIRST_NAMES = ['alexandra', 'benjamin', 'charlotte', 'dominik', 'elisabeth', 'francesco', 'gabriela', 'henrik'];
const LAST_NAMES = ['johansson', 'martinez', 'oconnell', 'rasmussen', 'takahashi', 'vanderberg', 'williams', 'kowalski'];

export interface SessionFactoryOptions {
  /**
   * false (default): redirect URI and email are one string each, shared by
   * every session, because this server takes both from its configuration
   * (src/oauth-manager.ts). true: a fresh email string per session, as a
   * multi-user server would hold.
   */
  emailPerSession?: boolean;
}

/** A fresh string with the same characters: flat, as one parsed from a request would be. */
function flatCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

export function makeSessionFactory(options: SessionFactoryOptions = {}): () => OAuthSession {
  let index = 0;
  return () => {
    index += 1;
    const state = randomBytes(32).toString('base64url');
    const userEmail = options.emailPerSession
      ? flatCopy(`${FIRST_NAMES[index % FIRST_NAMES.length]}.${LAST_NAMES[(index >> 3) % LAST_NAMES.length]}@example-corp.com`)
      : REALISTIC_EMAIL;
    return {
      state,
      codeVerifier: randomBytes(32).toString('base64url'),
      redirectUri: REALISTIC_REDIRECT_URI,
      timestamp: Date.now(),
      userEmail,
    };
  };
}

/** What one session weighs as JSON, for the record: compact and as the write-up pretty-prints it. */
export function sessionShape(session: OAuthSession): {
  stateChars: number;
  codeVerifierChars: number;
  redirectUri: string;
  userEmail: string;
  compactJsonBytes: number;
  prettyJsonBytes: number;
} {
  return {
    stateChars: session.state.length,
    codeVerifierChars: session.codeVerifier.length,
    redirectUri: session.redirectUri,
    userEmail: session.userEmail,
    compactJsonBytes: Buffer.byteLength(JSON.stringify({ [session.state]: session })) - 2,
    // Indented as one entry of the write-up's file (JSON.stringify(all, null, 2)), without the outer braces.
    prettyJsonBytes: Buffer.byteLength(JSON.stringify({ [session.state]: session }, null, 2)) - 4,
  };
}
