/**
 * What the harness tells a store-race participant to do, and the JSON lines
 * it answers with: apart from both sides, like the store driver's protocol,
 * so the harness never imports the participant script (which runs on load).
 */
import type { OAuthSession, StoreKind } from '../../../src/session-store.ts';

export interface ParticipantSpec {
  store: StoreKind;
  sessionFile: string;
  /** Absolute path of a module exporting `openStore(sessionFile): SessionStore`; default src/'s store of that kind. */
  storeModule?: string;
  op: { f: 'take'; state: string } | { f: 'put'; session: OAuthSession };
}

export type ParticipantEvent =
  | { type: 'opened'; time: number }
  | { type: 'invoke'; time: number }
  | { type: 'ok'; found?: boolean; time: number }
  | { type: 'fail'; error: string; time: number };
