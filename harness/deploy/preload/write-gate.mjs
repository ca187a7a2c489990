/**
 * Preload (NODE_OPTIONS=--import=<this file>) that lets the harness hold a
 * process at the moment it is about to write a file, from outside the code
 * under test: the store is not edited, its fs calls are.
 *
 * Wrapped: fs.writeFileSync, fs.writeFile, fs.promises.writeFile, and the
 * rename family (renameSync, rename, promises.rename) for stores that write a
 * temp file and rename it into place. A call pauses only when
 *   - its path (the destination, for a rename) matches WRITE_GATE_PATTERN, and
 *   - the harness armed this process: `<WRITE_GATE_DIR>/arm-<pid>` exists.
 * Pausing means: create `<WRITE_GATE_DIR>/paused-<pid>-<n>` (n counts this
 * process's pauses from 1), then wait for `<WRITE_GATE_DIR>/release-<pid>-<n>`.
 * Sync calls block the whole process (Atomics.wait, 2 ms between checks), as a
 * slow disk would; async calls wait on timers, so the process keeps serving
 * other requests meanwhile, as it would with a slow async write. Either way,
 * WRITE_GATE_TIMEOUT_MS (default 30 s) bounds the wait: the write then goes
 * ahead and `timeout-<pid>-<n>` says so. node: imports only: it runs before tsx.
 *
 * Never gated, whatever the pattern says: WRITE_GATE_EXCLUDE (a JSON array
 * of absolute paths: a file, or a folder and everything under it), the
 * gate's own folder, and the log of the harness's provider-interception
 * preload (OAUTH_REPRO_INTERCEPT_LOG). The harness writes those, not the
 * process under test; holding one would stop the process at a moment that
 * says nothing of its store (Node's appendFileSync goes through
 * fs.writeFileSync, so the interception log's appends reach this wrapper).
 *
 * Every write that would be gated, armed or not, is journalled in
 * `<WRITE_GATE_DIR>/wrote-<pid>.jsonl` ({ what, path, at } per line): the
 * harness reads which files the process under test writes when it stores a
 * state, and so tells a held session write from any other held write.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const dir = process.env.WRITE_GATE_DIR;
const pattern = process.env.WRITE_GATE_PATTERN ? new RegExp(process.env.WRITE_GATE_PATTERN) : undefined;
const timeoutMs = Number(process.env.WRITE_GATE_TIMEOUT_MS ?? 30_000);
const pollMs = 2;

/** Absolute paths whose writes are the harness's: never held, never journalled. */
function exclusions() {
  let listed = [];
  try {
    listed = JSON.parse(process.env.WRITE_GATE_EXCLUDE ?? '[]');
  } catch {
    process.stderr.write(`write-gate: WRITE_GATE_EXCLUDE is not a JSON array; only the gate's own files are excluded\n`);
  }
  return [dir, process.env.OAUTH_REPRO_INTERCEPT_LOG, ...(Array.isArray(listed) ? listed : [])]
    .filter((entry) => typeof entry === 'string' && entry !== '')
    .map((entry) => path.resolve(entry));
}

if (dir && pattern) install();

function install() {
  const { writeFileSync, writeFile, renameSync, rename } = fs;
  const promises = fs.promises;
  const promisesWriteFile = promises.writeFile;
  const promisesRename = promises.rename;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const armFile = path.join(dir, `arm-${process.pid}`);
  const journal = path.join(dir, `wrote-${process.pid}.jsonl`);
  const excluded = exclusions();
  let pauses = 0;

  const pathOf = (target) => {
    if (typeof target === 'string') return target;
    if (target instanceof URL) return target.pathname;
    if (Buffer.isBuffer(target)) return target.toString();
    return undefined; // a file descriptor: no path to judge
  };
  const isExcluded = (file) => excluded.some((entry) => file === entry || file.startsWith(`${entry}${path.sep}`));
  /** Journals a gated path (the original writeFileSync: no wrapper sees it) and says whether to hold it. */
  const shouldPause = (what, target) => {
    const file = pathOf(target);
    if (file === undefined) return false;
    const resolved = path.resolve(file);
    if (!pattern.test(resolved) || isExcluded(resolved)) return false;
    writeFileSync(journal, `${JSON.stringify({ what, path: resolved, at: Date.now() })}\n`, { flag: 'a' });
    return fs.existsSync(armFile);
  };
  const beginPause = (what, target) => {
    pauses += 1;
    const n = pauses;
    // Written aside and renamed into place: the harness polls for paused-* and reads the marker at
    // once, and a marker created by writeFileSync exists (empty) before its JSON is in it.
    // The aside name must not start with "paused-": the harness lists those as pauses.
    const aside = path.join(dir, `writing-${process.pid}-${n}`);
    writeFileSync(aside, JSON.stringify({ what, path: path.resolve(pathOf(target)), at: Date.now() }));
    renameSync(aside, path.join(dir, `paused-${process.pid}-${n}`));
    return { release: path.join(dir, `release-${process.pid}-${n}`), timedOut: path.join(dir, `timeout-${process.pid}-${n}`), deadline: performance.now() + timeoutMs };
  };
  const holdSync = (what, target) => {
    const pause = beginPause(what, target);
    while (!fs.existsSync(pause.release)) {
      if (performance.now() > pause.deadline) return writeFileSync(pause.timedOut, '');
      Atomics.wait(sleeper, 0, 0, pollMs);
    }
  };
  const holdAsync = async (what, target) => {
    const pause = beginPause(what, target);
    while (!fs.existsSync(pause.release)) {
      if (performance.now() > pause.deadline) return writeFileSync(pause.timedOut, '');
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };

  fs.writeFileSync = function gatedWriteFileSync(file, ...rest) {
    if (shouldPause('writeFileSync', file)) holdSync('writeFileSync', file);
    return writeFileSync.call(this, file, ...rest);
  };
  fs.renameSync = function gatedRenameSync(from, to) {
    if (shouldPause('renameSync', to)) holdSync('renameSync', to);
    return renameSync.call(this, from, to);
  };
  fs.writeFile = function gatedWriteFile(file, ...rest) {
    if (!shouldPause('writeFile', file)) return writeFile.call(this, file, ...rest);
    void holdAsync('writeFile', file).then(() => writeFile.call(this, file, ...rest));
  };
  fs.rename = function gatedRename(from, to, callback) {
    if (!shouldPause('rename', to)) return rename.call(this, from, to, callback);
    void holdAsync('rename', to).then(() => rename.call(this, from, to, callback));
  };
  promises.writeFile = async function gatedPromisesWriteFile(file, ...rest) {
    if (shouldPause('promises.writeFile', file)) await holdAsync('promises.writeFile', file);
    return promisesWriteFile.call(this, file, ...rest);
  };
  promises.rename = async function gatedPromisesRename(from, to) {
    if (shouldPause('promises.rename', to)) await holdAsync('promises.rename', to);
    return promisesRename.call(this, from, to);
  };
  // `import { writeFileSync } from 'node:fs'` binds to the ESM facade: bring it up to date.
  syncBuiltinESMExports();
}
