/**
 * REPORT.md rows for the store faults, computed from the measurements by
 * pure functions: pass = nothing committed lost, no crash, no write-through,
 * nothing forged adopted; fail otherwise; unknown when the case could not
 * be measured or does not apply to the store (the detail says which, and
 * why), never a pass.
 */
import { BROKEN_SESSION_FILE_CASES } from '../../../fixtures/corrupt-session-files/broken-session-files.ts';
import type { CaseOutcome, ReliabilityRow } from '../measure-context.ts';
import type { BrokenFileResult } from './broken-files.ts';
import type { InsideWriteResult } from './crash-inside-write.ts';
import { CRASH_SCRIPT_TEXT, type CrashResult } from './crash-mid-write.ts';
import type { Measured } from './fault-context.ts';
import type { StoreFaults, StoreFaultsResult } from './measure-store-faults.ts';
import type { PrecreatedResult, SymlinkResult } from './shared-tmp.ts';
import type { WriteErrorTrial } from './write-errors.ts';

type Cell = { outcome: CaseOutcome; detail: string };

/** A message quoted into a table cell: bounded, and without control or replacement characters (a garbage file's bytes). */
const quote = (text: string, max = 140) => {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return `"${clean.length > max ? `${clean.slice(0, max - 1)}…` : clean}"`;
};
const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

function cell<T>(measured: Measured<T> | undefined, judge: (value: T) => Cell): Cell {
  if (!measured) return { outcome: 'unknown', detail: 'not measured' };
  // A case that cannot apply is n/a, never a pass and never counted.
  if (measured.status === 'not-applicable') return { outcome: 'n/a', detail: measured.reason };
  if (measured.status === 'unknown') return { outcome: 'unknown', detail: `unknown: ${measured.reason}` };
  try {
    return judge(measured as T);
  } catch (error) {
    // A checker that crashes gives unknown with the error, never a pass.
    return { outcome: 'unknown', detail: `checker failed: ${(error as Error).message}` };
  }
}

export function judgeCrash(crash: CrashResult): Cell {
  if (crash.landed === 0) return { outcome: 'unknown', detail: `no kill landed in a write to the store's files (${crash.points} tried)` };
  const files = crash.files;
  const sample = crash.sampled ? ` spread over the script's ${crash.writesInScript} writes` : ` = every write of the script`;
  const detail =
    `${crash.landed} kills${sample}${crash.landed < crash.points ? ` (${crash.points - crash.landed} did not land)` : ''}: ` +
    `${crash.lostTotal} committed sessions lost (mean ${crash.lostMeanPerKill}, max ${crash.lostMaxPerKill} per kill; ${crash.killsWithLoss} kills lost some); ` +
    `file left ${files.empty} empty, ${files.torn} torn, ${files.missing} missing, ${files.intact} intact` +
    (files.unreadable ? `, ${files.unreadable} unreadable` : '') +
    `; ${crash.resurrectedTotal} consumed states readable again`;
  return { outcome: crash.lostTotal > 0 || crash.resurrectedTotal > 0 ? 'fail' : 'pass', detail };
}

export function judgeInsideWrite(result: InsideWriteResult): Cell {
  if (result.landed === 0) return { outcome: 'unknown', detail: `no kill landed during the put (${result.trials.length} tried; the put finished first)` };
  const points = result.trials
    .filter((trial) => trial.landed)
    .map((trial) => `${Math.round(trial.fraction * 100)}%→${trial.file}${trial.fileBytes >= 0 ? ` ${mb(trial.fileBytes)}` : ''}`)
    .join(', ');
  const files = result.files;
  return {
    outcome: result.lostTotal > 0 ? 'fail' : 'pass',
    detail:
      `${result.landed} of ${result.trials.length} kills landed during one put rewriting ${mb(result.storeBytes)} (${result.storeSessions} sessions), aimed at ${points}; ` +
      `${files.torn} torn, ${files.empty} empty, ${files.intact} intact; ${result.lostTotal} sessions lost` +
      (result.lostTotal > 0 && result.trials.every((trial) => !trial.landed || trial.file === 'intact' || trial.lost >= trial.committed) ? ' (every session, each time the file was left broken)' : ''),
  };
}

export function judgeWriteErrors(trials: readonly WriteErrorTrial[]): Cell {
  if (trials.length === 0) return { outcome: 'unknown', detail: 'no trial ran' };
  const notInjected = trials.filter((trial) => !trial.injected);
  if (notInjected.length === trials.length) return { outcome: 'unknown', detail: 'the error was never injected into a write of the store\'s files' };
  const parts = trials.map((trial) => {
    const told = trial.putError ? `put got ${quote(trial.putError, 70)}` : 'put reported success';
    const file = trial.fileRightAfter ? `file ${trial.fileRightAfter.size} B (${trial.fileRightAfter.parse})` : 'file gone';
    return (
      `${trial.persistent ? 'every write from then on' : 'one write'}: ${told}; ${trial.survivedRightAfter}/${trial.committedBefore} earlier sessions readable right after (${file}); ` +
      `next put ${trial.nextPut}; at the end ${trial.survivedAtEnd}/${trial.committedBefore} (file ${trial.fileAtEnd})${trial.processAlive ? '' : '; process died'}`
    );
  });
  const bad = trials.some((trial) => trial.injected && (trial.lost.length > 0 || !trial.processAlive || !trial.putError));
  return { outcome: bad ? 'fail' : 'pass', detail: `during ${trials[0]!.during}. ${parts.join('. ')}` };
}

/**
 * A broken session file, judged on what a store can do about it,
 * not on the sessions the fault itself destroyed:
 * - keep running;
 * - lose none of the sessions the fault left whole (bytesKept 'all');
 * - when callers are short of anything, say so naming the file;
 * - when it cannot read what was there, keep the damaged bytes for a person
 *   (in place, or moved aside) instead of overwriting them;
 * - when the fault left a writable path, serve new flows.
 * The sessions lost are reported either way.
 */
export function judgeBrokenFile(result: BrokenFileResult): Cell {
  const said = result.messages[0] ? `said ${quote(result.messages[0])}` : 'said nothing';
  const sessions = result.sessionsBefore
    ? `${result.sessionsBefore} sessions before (${result.stillOnDisk} still on disk after the fault), ${result.readableBefore} readable; ` +
      `new put ${result.newPut}${result.newPutMs !== undefined ? ` in ${result.newPutMs} ms` : ''}${result.newSessionReadable ? ' and readable' : ''}; ` +
      `${result.keptAfter} kept, ${result.lost} lost${result.erasedByStore ? ` (${result.erasedByStore} erased from disk by the store's rewrite)` : result.lost && result.stillOnDisk === 0 ? ' (destroyed by the fault itself)' : ''}`
    : `no sessions before; new put ${result.newPut}${result.newSessionReadable ? ' and readable' : ''}`;
  const asOther = result.ranWithoutPermissionOverride ? ' (ran as root without CAP_DAC_OVERRIDE: root would ignore the folder\'s mode)' : '';
  const alive = result.alive ? 'kept running' : `did not keep running: ${result.exit}`;
  const servedNewFlow = result.newPut === 'ok' && result.newSessionReadable;
  const couldNotRead = result.readableBefore < result.sessionsBefore || result.lost > 0;
  // Silence is fine when nothing went wrong for the callers; otherwise the process must say what.
  const troubled = couldNotRead || !servedNewFlow;
  const unexplained = troubled && !result.saidWhatIsWrong;
  const damaged = result.damagedFile;
  const mustKeepDamaged = couldNotRead && damaged !== undefined && damaged.bytes > 0;
  // Said only of a file the store could not use: a whole file it rewrote as usual is no damaged file.
  const kept = !damaged || !couldNotRead
    ? ''
    : damaged.bytes === 0
      ? '; the fault left an empty file (nothing to keep)'
      : damaged.keptAs
        ? `; damaged file (${damaged.bytes} B) kept as ${damaged.keptAs}`
        : `; damaged file (${damaged.bytes} B) overwritten or removed by the store`;

  const problems = [
    !result.alive ? 'did not keep running' : '',
    result.bytesKept === 'all' && result.lost > 0 ? `lost ${result.lost} sessions the fault had left whole` : '',
    unexplained ? 'said nothing naming the file' : '',
    mustKeepDamaged && !damaged.keptAs ? 'did not keep the damaged file for a person' : '',
    result.newFlowsPossible && !servedNewFlow ? 'served no new flow although the path was writable' : '',
  ].filter(Boolean);
  return {
    outcome: problems.length ? 'fail' : 'pass',
    detail: `${alive}${asOther}; ${said}${unexplained ? ' (nothing naming the file)' : ''}; ${sessions}${kept}${problems.length ? `; short of: ${problems.join(', ')}` : ''}`,
  };
}

export function judgeSymlink(result: SymlinkResult): Cell {
  return {
    outcome: result.wroteThrough ? 'fail' : 'pass',
    detail:
      `symlink at ${result.plantedAt.join(', ')} planted by ${result.plantedBy} (${result.kernel}); put ${result.putResult.startsWith('ok') ? 'ok' : quote(result.putResult, 200)}; ` +
      (result.wroteThrough ? `wrote through into the victim${result.verifierInVictim ? ', PKCE verifier included' : ''}` : 'victim untouched'),
  };
}

export function judgePrecreated(result: PrecreatedResult): Cell {
  const files = result.files.map((file) => `${file.name} ${file.mode} uid ${file.owner}`).join(', ');
  const refused = result.lookupResult.startsWith('refused at open') && result.putResult === result.lookupResult;
  const what = refused
    ? `the store ${quote(result.lookupResult, 200)}`
    : `forged state ${result.forgedAccepted ? 'ACCEPTED' : `rejected (${result.lookupResult})`}; put ${result.putResult}`;
  return {
    outcome: result.forgedAccepted || result.verifierInAttackerFile ? 'fail' : 'pass',
    detail:
      `${files}, ${result.createdBy}; ${what}; ` +
      (result.verifierInAttackerFile ? `real PKCE verifier written into the attacker's file (${result.after.join(', ')})` : 'no verifier written into the planted file'),
  };
}

function row(
  result: StoreFaultsResult,
  id: string,
  group: ReliabilityRow['group'],
  what: string,
  pick: (store: StoreFaults) => Cell,
): ReliabilityRow {
  const perStore: ReliabilityRow['perStore'] = {};
  for (const store of result.stores) {
    const faults = result.perStore[store];
    perStore[store] = faults ? pick(faults) : { outcome: 'unknown', detail: 'not measured' };
  }
  return { id, group, what, perStore, command: result.quick ? 'npm run repro' : 'npm run bench' };
}

export function faultRows(result: StoreFaultsResult): ReliabilityRow[] {
  const strace = result.strace.usable ? 'strace' : `strace unavailable (${result.strace.why})`;
  const rows: ReliabilityRow[] = [
    row(
      result,
      'crash-mid-write',
      'fault',
      `SIGKILL inside the N-th write to the store's files (${strace} -e inject=…:signal=KILL:when=N), one process per kill point over a script of ${CRASH_SCRIPT_TEXT}; a fresh process then reads the store`,
      (store) => cell(store.crash, judgeCrash),
    ),
    row(
      result,
      'crash-inside-one-write',
      'fault',
      "SIGKILL while one put rewrites a large store, landing inside the kernel's copy of that single write() (driver watchdog thread at a fraction of the bytes: strace kills before a write copies anything)",
      (store) => cell(store.insideWrite, judgeInsideWrite),
    ),
    ...(['ENOSPC', 'EIO'] as const).map((errno) =>
      row(
        result,
        `write-error-${errno.toLowerCase()}`,
        'fault',
        `${errno} injected into the store's first write of a put (strace -e inject=…:error=${errno}), once and on every later write; what the caller is told and what survives`,
        (store) => cell(store.writeErrors, (value) => judgeWriteErrors(value.trials.filter((trial) => trial.errno === errno))),
      ),
    ),
    ...BROKEN_SESSION_FILE_CASES.map((broken) =>
      row(
        result,
        `broken-file-${broken.id}`,
        'fault',
        `Broken session file: ${broken.what}; the process then looks the old sessions up, starts a new flow, looks again`,
        (store) => cell(store.brokenFiles[broken.id], judgeBrokenFile),
      ),
    ),
    row(
      result,
      'tmp-symlink',
      'security',
      "Predictable path in a shared /tmp: a symlink planted by another user at the store's default path, pointing at a victim file; does a put write through it?",
      (store) => cell(store.symlink, judgeSymlink),
    ),
    row(
      result,
      'tmp-precreated-file',
      'security',
      "Predictable path in a shared /tmp: the store's file pre-created by another user with a forged session, mode 0666; is the forged state accepted, are real verifiers written into it?",
      (store) => cell(store.precreated, judgePrecreated),
    ),
    // The session file's mode bits are judged once, by security/session-file-mode, so they are never counted twice.
  ];
  return rows;
}
