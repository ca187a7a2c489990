/**
 * The store kinds a benchmark covers by default: whatever src/session-store.ts
 * lists when the benchmark runs, so a store added there joins without an edit
 * here.
 */
import * as sessionStore from '../../../src/session-store.ts';

export function defaultStoreKinds(): string[] {
  return [...sessionStore.STORE_KINDS];
}
