/**
 * The store driver: a separate process doing real store I/O through the one
 * SessionStore contract (createSessionStore), so that faults (a SIGKILL at
 * the N-th write, an injected ENOSPC, a broken file, a planted symlink) hit
 * a real process exactly as they would hit the tool or callback process.
 *
 *     node --import tsx harness/faults/store-driver.ts <spec.json>
 *
 * It runs the spec's operations in order and prints one JSON line per event
 * on stdout (see driver-protocol.ts): `invoke` before an operation, `ok` or
 * `fail` after it. An `ok` line is the acknowledgement: a session whose put
 * was acknowledged is committed as far as the caller can tell. Store logs
 * go to stderr. An operation that throws is reported and the script goes
 * on, as a server would go on serving; a crash of the process itself is
 * left to happen, because that is one of the things measured.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createSessionStore } from '../../../src/stores/create-session-store.ts';
import type { SessionStore, StoreKind } from '../../../src/session-store.ts';
import type { CheckValue, DriverError, DriverEvent, DriverOp, DriverSpec, GetStateValue } from './driver-protocol.ts';
import { seededSession, seededState, seededVerifier } from './seeded-session.ts';
import { fileStates } from './session-file-state.ts';
import { startKillInsideWrite, type ArmedWatchdog } from './kill-inside-write.ts';

const DEFAULT_OP_TIMEOUT_MS = 10_000;

function emit(event: DriverEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function errorOf(error: unknown): DriverError {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? { code, message: error.message } : { message: error.message };
  }
  return { message: String(error) };
}

function readSpec(): DriverSpec {
  const specPath = process.argv[2];
  if (!specPath) {
    process.stderr.write('store-driver: expected the path of a spec file (JSON) as the first argument\n');
    process.exit(2);
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as DriverSpec;
  if (typeof spec.store !== 'string' || typeof spec.seed !== 'string' || !Array.isArray(spec.ops)) {
    process.stderr.write(`store-driver: spec ${specPath} must have "store" (string), "seed" (string) and "ops" (array)\n`);
    process.exit(2);
  }
  return spec;
}

class OpTimeout extends Error {
  readonly code = 'DRIVER_OP_TIMEOUT';
}

async function withTimeout<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OpTimeout(`operation did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The tracer of every thread, or undefined while one is not traced yet. */
function tracerOfAllThreads(): number | undefined {
  let tracer: number | undefined;
  for (const tid of readdirSync('/proc/self/task')) {
    let status: string;
    try {
      status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
    } catch {
      continue; // The thread ended.
    }
    const pid = Number(/^TracerPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    if (pid === 0) return undefined;
    tracer = pid;
  }
  return tracer;
}

async function waitForTracer(limitMs: number): Promise<void> {
  emit({ type: 'waiting-for-tracer', pid: process.pid });
  const started = performance.now();
  for (;;) {
    const tracer = tracerOfAllThreads();
    if (tracer !== undefined) {
      emit({ type: 'traced', tracerPid: tracer, waitedMs: Math.round(performance.now() - started) });
      return;
    }
    if (performance.now() - started > limitMs) {
      process.stderr.write(`store-driver: no tracer attached within ${limitMs} ms\n`);
      process.exit(3);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function main(): Promise<void> {
  const spec = readSpec();
  const opTimeoutMs = spec.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
  emit({ type: 'start', pid: process.pid, store: spec.store, uid: process.getuid?.() ?? -1, umask: process.umask().toString(8).padStart(4, '0') });
  let watchdog: ArmedWatchdog | undefined;
  if (spec.killInsideWrite) watchdog = await startKillInsideWrite(spec.killInsideWrite);
  if (spec.waitForTracer) await waitForTracer(20_000);

  let store: SessionStore | undefined;
  const requireStore = (): SessionStore => {
    if (!store) throw new Error('no store is open: the first operation must be "open"');
    return store;
  };

  const perform = async (op: DriverOp): Promise<unknown> => {
    switch (op.f) {
      case 'open': {
        await store?.close();
        if (op.tmpdir) process.env.TMPDIR = op.tmpdir;
        // A seal key for stores that need one (sealed-state): a store that keeps
        // nothing on disk should say so by leaving nothing, not fail to start.
        store = createSessionStore(spec.store as StoreKind, {
          ...(op.sessionFile ? { sessionFile: op.sessionFile } : {}),
          sealKey: randomBytes(32),
          ...(spec.redisUrl ? { redisUrl: spec.redisUrl, redisKeyPrefix: `faults:${process.pid}:` } : {}),
        });
        return undefined;
      }
      case 'put': {
        const opened = requireStore();
        const session = seededSession(spec.seed, op.index);
        // A store that makes its own states (sealed-state) refuses a seeded one: it is given one it minted,
        // so that what it leaves on disk is seen rather than its refusal.
        if (opened.mintState) {
          const { state: _seeded, ...unkeyed } = session;
          const state = await opened.mintState(unkeyed);
          await opened.put('sessions', state, { ...session, state });
        } else {
          await opened.put('sessions', seededState(spec.seed, op.index), session);
        }
        return undefined;
      }
      case 'put-session':
        await requireStore().put('sessions', op.session.state, op.session);
        return undefined;
      case 'take': {
        const session = await requireStore().take('sessions', seededState(spec.seed, op.index));
        return { found: session !== undefined };
      }
      case 'get-state': {
        const session = await requireStore().get('sessions', op.state);
        const value: GetStateValue = session ? { found: true, verifierS256: createHash('sha256').update(session.codeVerifier).digest('base64url') } : { found: false };
        return value;
      }
      case 'check': {
        const value: CheckValue = { found: [], wrongVerifier: [] };
        for (const index of op.indices) {
          const session = await requireStore().get('sessions', seededState(spec.seed, index));
          if (!session) continue;
          if (session.codeVerifier === seededVerifier(spec.seed, index)) value.found.push(index);
          else value.wrongVerifier.push(index);
        }
        return value;
      }
      case 'count':
        return requireStore().count('sessions');
      case 'file-state':
        return fileStates(op.folder);
    }
  };

  for (const [index, op] of spec.ops.entries()) {
    if (watchdog && spec.killInsideWrite?.armBefore === index) watchdog.arm();
    const seeded = 'index' in op ? { index: op.index } : {};
    emit({ type: 'invoke', op: index, f: op.f, ...seeded, time: Date.now() });
    const started = performance.now();
    try {
      const value = await withTimeout(opTimeoutMs, () => perform(op));
      const ms = Number((performance.now() - started).toFixed(3));
      emit({ type: 'ok', op: index, f: op.f, ...seeded, ...(value === undefined ? {} : { value }), ms, time: Date.now() });
    } catch (error) {
      const ms = Number((performance.now() - started).toFixed(3));
      emit({ type: 'fail', op: index, f: op.f, ...seeded, error: errorOf(error), ms, time: Date.now() });
    }
  }
  emit({ type: 'done', time: Date.now() });
  try {
    await withTimeout(2000, async () => store?.close());
  } catch {
    // A store that cannot close must not keep the driver alive.
  }
  process.exit(0);
}

await main();
