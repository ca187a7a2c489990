/**
 * Preload (NODE_OPTIONS=--import=<this file>) that puts a process on the
 * run's virtual clock, so the 15-minute TTL can be crossed without waiting 15
 * minutes and two processes' clocks can disagree on purpose.
 *
 *   virtual now = real now + offsetMs (shared, from VIRTUAL_CLOCK_FILE)
 *                          + VIRTUAL_CLOCK_SKEW_MS (this process, fixed at start)
 *                          + skewMsByPid[process.pid] (this process, from the file)
 *
 * The file is JSON: { "offsetMs": number, "skewMsByPid": { "<pid>": number } }.
 * The harness writes it atomically (temp + rename); every reading checks the
 * file's identity and mtime (one stat) and re-reads it when either changed, so
 * the next Date.now() after a write already sees the new time. A missing or
 * unreadable file keeps the last good value (zero at first).
 *
 * Only Date.now(), `new Date()` with no argument and `Date()` called as a
 * function move; performance.now(), timers and hrtime stay real, so timeouts
 * and durations are unaffected. node: imports only: it runs before tsx.
 */
import { readFileSync, statSync } from 'node:fs';

const RealDate = globalThis.Date;
const realNow = RealDate.now.bind(RealDate);
const file = process.env.VIRTUAL_CLOCK_FILE;
const envSkewMs = finiteOr(Number(process.env.VIRTUAL_CLOCK_SKEW_MS ?? 0), 0);
const pidKey = String(process.pid);

let offsetMs = 0;
let pidSkewMs = 0;
let seen = '';

function finiteOr(value, fallback) {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function refresh() {
  if (!file) return;
  let identity;
  try {
    const stat = statSync(file, { bigint: true });
    identity = `${stat.ino}:${stat.mtimeNs}:${stat.size}`;
  } catch {
    return;
  }
  if (identity === seen) return;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    offsetMs = finiteOr(parsed.offsetMs, 0);
    pidSkewMs = finiteOr(parsed.skewMsByPid?.[pidKey], 0);
    seen = identity;
  } catch {
    // A file caught mid-write by a non-atomic writer: keep the last good value.
  }
}

function virtualNow() {
  refresh();
  return realNow() + offsetMs + envSkewMs + pidSkewMs;
}

const VirtualDate = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    return Reflect.construct(target, args.length === 0 ? [virtualNow()] : args, newTarget);
  },
  apply() {
    return new RealDate(virtualNow()).toString();
  },
  get(target, property, receiver) {
    if (property === 'now') return virtualNow;
    return Reflect.get(target, property, receiver);
  },
});

globalThis.Date = VirtualDate;
