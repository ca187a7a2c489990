/**
 * One client of a store-level race, in its own process (its own connection,
 * its own thread: a synchronous store such as better-sqlite3 blocks while it
 * waits for a lock, so the two clients cannot share one).
 *
 *     node --import tsx harness/measurements/races/store-race-participant.ts <spec.json>
 *
 * Opens the store, says so, then starts its one operation at once and says
 * when it began and how it ended, one JSON line each on stdout. Store logs
 * go to stderr. `storeModule` swaps src/'s store for another implementation
 * (the tests' deliberately racy one, which shows the race can be produced).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createSessionStore } from '../../../src/stores/create-session-store.ts';
import type { SessionStore } from '../../../src/session-store.ts';
import type { ParticipantEvent, ParticipantSpec } from './store-race-protocol.ts';

const say = (event: ParticipantEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function open(spec: ParticipantSpec): Promise<SessionStore> {
  if (!spec.storeModule) return createSessionStore(spec.store, { sessionFile: spec.sessionFile });
  const module = (await import(pathToFileURL(spec.storeModule).href)) as { openStore(sessionFile: string): SessionStore };
  return module.openStore(spec.sessionFile);
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ParticipantSpec;
  const store = await open(spec);
  say({ type: 'opened', time: Date.now() });
  say({ type: 'invoke', time: Date.now() });
  try {
    if (spec.op.f === 'take') {
      const found = (await store.take('sessions', spec.op.state)) !== undefined;
      say({ type: 'ok', found, time: Date.now() });
    } else {
      await store.put('sessions', spec.op.session.state, spec.op.session);
      say({ type: 'ok', time: Date.now() });
    }
  } catch (error) {
    say({ type: 'fail', error: error instanceof Error ? error.message : String(error), time: Date.now() });
  }
  await store.close();
  process.exit(0);
}

await main();
