/**
 * A tiny driver for the multi-process store tests: one real process using a
 * store the way a tool or callback process would. Run with `node --import tsx`.
 *
 *   store-driver.ts <kind> <sessionFile> puts <prefix> <count>
 *       prints "ready", waits for a line "go" on stdin (so two drivers start
 *       together), puts <count> sessions `<prefix>-<i>` one after another,
 *       prints "done <count>".
 *   store-driver.ts atomic-file <sessionFile> hold-lock
 *       takes the atomic-file store's inter-process lock, prints "locked" and
 *       holds it until killed (the stale-lock test kills it with SIGKILL).
 */
import { createInterface } from 'node:readline';
import { silentLogger } from '../../log.ts';
import type { StoreKind } from '../../session-store.ts';
import { createSessionStore } from '../create-session-store.ts';
import { acquireStoreLock } from '../atomic-file-store.ts';

const [kind, sessionFile, mode, ...rest] = process.argv.slice(2);
if (!kind || !sessionFile || !mode) {
  process.stderr.write('usage: store-driver.ts <kind> <sessionFile> puts <prefix> <count> | hold-lock\n');
  process.exit(2);
}

async function waitForGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === 'go') {
      lines.close();
      return;
    }
  }
  throw new Error('stdin ended before "go"');
}

async function main(): Promise<void> {
  if (mode === 'hold-lock') {
    await acquireStoreLock(sessionFile!);
    process.stdout.write('locked\n');
    setInterval(() => undefined, 60_000);
    return;
  }
  if (mode !== 'puts') throw new Error(`unknown mode ${mode}`);
  const [prefix, countText] = rest;
  const count = Number(countText);
  const store = createSessionStore(kind as StoreKind, { sessionFile, logger: silentLogger });
  process.stdout.write('ready\n');
  await waitForGo();
  for (let i = 0; i < count; i += 1) {
    const state = `${prefix}-${i}`;
    await store.put('sessions', state, {
      state,
      codeVerifier: `verifier-${state}`,
      redirectUri: 'http://127.0.0.1:1/oauth/callback',
      timestamp: Date.now(),
      userEmail: 'dev@acme.test',
    });
  }
  await store.close();
  process.stdout.write(`done ${count}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`store-driver: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
