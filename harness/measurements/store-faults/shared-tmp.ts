/**
 * The predictable path in a shared /tmp. The store runs with no path given
 * and TMPDIR pointed at a sticky, world-writable folder (mode 1777, like
 * /tmp) in the run folder, so its default names are used without touching
 * the host's real /tmp (other runs and people use it). "Someone else" is
 * uid 65534 when the harness is root (what it plants is chown'ed to it);
 * otherwise the same user plays both parts, and the detail says so.
 *
 * - symlink: a symlink planted at each default name, pointing at a victim
 *   file elsewhere. Does a put write through it into the victim?
 * - pre-created: the attacker's store file, holding a forged session,
 *   chmod 0666. Does the victim's store accept the forged state, and write
 *   the real PKCE verifier into the attacker's file?
 *
 * The session file's own mode bits are judged once, by the security
 * measurement (security/session-file-mode), not here.
 */
import { chmodSync, chownSync, copyFileSync, existsSync, lchownSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { FORGED_STATE, FORGED_VERIFIER, forgedSession, LOOSE_MODE } from '../../../fixtures/corrupt-session-files/forged-session.ts';
import type { GetStateValue } from './driver-protocol.ts';
import { driveStore, folderFor, notApplicable, withoutRunPaths, type FaultContext, type Measured } from './fault-context.ts';
import { complaints, outcomeOf, type DriverRun } from './run-driver.ts';
import { modeString, storeFilesIn } from './session-file-state.ts';
import { seededVerifier } from './seeded-session.ts';
import { withoutLocalFile, type StoreProfile } from './store-disk-profile.ts';

const VICTIM_CONTENT = 'VICTIM FILE: a file the session store must never write to\n';

function kernelProtection(): string {
  const read = (name: string) => {
    try {
      return readFileSync(`/proc/sys/fs/${name}`, 'utf8').trim();
    } catch {
      return '?';
    }
  };
  return `fs.protected_symlinks=${read('protected_symlinks')}, fs.protected_regular=${read('protected_regular')}`;
}

function sharedTmpFolder(ctx: FaultContext, name: string): string {
  const dir = folderFor(ctx, name, 'shared-tmp');
  // mkdir applies the umask; /tmp's mode has to be set explicitly.
  chmodSync(dir, 0o1777);
  return dir;
}

const noDefaultPath = (profile: StoreProfile) =>
  !profile.hasLocalFile
    ? withoutLocalFile(profile)
    : profile.defaultFiles.length === 0
      ? notApplicable('with no path given, the store left no file under os.tmpdir(): no predictable path there')
      : undefined;

export interface SymlinkResult {
  /** Where the symlinks were planted: the first component of each default path (the file, or the store's folder). */
  plantedAt: string[];
  plantedBy: string;
  kernel: string;
  putResult: string;
  /** A victim file changed, or a file appeared in a victim folder: the store wrote through the symlink. */
  wroteThrough: boolean;
  /** The flow's PKCE verifier is now in a victim file. */
  verifierInVictim: boolean;
  messages: string[];
}

/** What the driver's callers were told, the open included: a store may refuse a path at open. */
function resultOf(ctx: FaultContext, run: DriverRun, op: number): string {
  const open = outcomeOf(run, 0);
  if (open?.type === 'fail') return withoutRunPaths(ctx, `refused at open: ${open.error.message}`);
  const event = outcomeOf(run, op);
  return event === undefined ? 'not reached' : event.type === 'ok' ? 'ok' : withoutRunPaths(ctx, `failed: ${event.error.code ?? ''} ${event.error.message}`.trim());
}

function treeSnapshot(dir: string): Map<string, string> {
  const snapshot = new Map<string, string>();
  for (const name of storeFilesIn(dir)) snapshot.set(name, readFileSync(path.join(dir, name), 'latin1'));
  return snapshot;
}

export async function measureSymlink(ctx: FaultContext, profile: StoreProfile): Promise<Measured<SymlinkResult>> {
  const skip = noDefaultPath(profile);
  if (skip) return skip;
  const seed = `${ctx.store}-symlink`;
  const tmpdir = sharedTmpFolder(ctx, 'tmp-symlink');
  const victimRoot = folderFor(ctx, 'tmp-symlink', 'victims');
  const topLevel = [...new Set(profile.defaultFiles.map((file) => file.name.split('/')[0]!))];
  for (const [i, name] of topLevel.entries()) {
    const inner = profile.defaultFiles.filter((file) => file.name.startsWith(`${name}/`)).map((file) => file.name.slice(name.length + 1));
    let victim: string;
    if (inner.length === 0) {
      victim = path.join(victimRoot, `victim-${i}.txt`);
      writeFileSync(victim, VICTIM_CONTENT);
    } else {
      // The store keeps a folder there: the symlink points at a victim folder holding files of the same names.
      victim = path.join(victimRoot, `victim-folder-${i}`);
      for (const file of inner) {
        mkdirSync(path.dirname(path.join(victim, file)), { recursive: true });
        writeFileSync(path.join(victim, file), VICTIM_CONTENT);
      }
    }
    const link = path.join(tmpdir, name);
    symlinkSync(victim, link);
    if (ctx.otherUid !== undefined) lchownSync(link, ctx.otherUid, ctx.otherUid);
  }
  const before = treeSnapshot(victimRoot);
  const run = await driveStore(ctx, 'tmp-symlink', {
    seed,
    ops: [{ f: 'open', tmpdir }, { f: 'put', index: 0 }, { f: 'check', indices: [0] }],
    workDir: folderFor(ctx, 'tmp-symlink'),
    timeoutMs: 30_000,
  });
  const after = treeSnapshot(victimRoot);
  const changed = [...after].some(([name, content]) => before.get(name) !== content) || after.size !== before.size;
  return {
    status: 'measured',
    plantedAt: topLevel,
    plantedBy: ctx.otherUid !== undefined ? `uid ${ctx.otherUid} (symlink lchown'ed)` : 'the same user as the store (no other user available)',
    kernel: kernelProtection(),
    putResult: resultOf(ctx, run, 1),
    wroteThrough: changed,
    verifierInVictim: [...after.values()].some((content) => content.includes(seededVerifier(seed, 0))),
    messages: [...complaints(run), ...run.events.flatMap((event) => (event.type === 'fail' ? [event.error.message] : []))].slice(0, 3).map((line) => withoutRunPaths(ctx, line)),
  };
}

export interface PrecreatedResult {
  files: { name: string; owner: number; mode: string }[];
  createdBy: string;
  /** The forged state was accepted at lookup, with the attacker's verifier. */
  forgedAccepted: boolean;
  lookupResult: string;
  putResult: string;
  /** The flow's real PKCE verifier ended up in the attacker's (still attacker-owned, loose-mode) file. */
  verifierInAttackerFile: boolean;
  /** Planted files after the victim's put: mode and owner. */
  after: string[];
}

/**
 * The attacker's forged store, made by the same software (a driver with
 * TMPDIR pointed at a scratch folder, so the names are the ones the
 * victim's store will use), then planted in the shared folder the way an
 * attacker would: folders 0777, files 0666, owned by the attacker.
 */
function plantPrecreated(ctx: FaultContext, scratch: string, tmpdir: string): string[] {
  const planted = storeFilesIn(scratch);
  for (const name of planted) {
    const target = path.join(tmpdir, name);
    const parts = name.split('/').slice(0, -1);
    for (let depth = 1; depth <= parts.length; depth++) {
      const dir = path.join(tmpdir, ...parts.slice(0, depth));
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
      if (ctx.otherUid !== undefined) chownSync(dir, ctx.otherUid, ctx.otherUid);
    }
    copyFileSync(path.join(scratch, name), target);
    chmodSync(target, LOOSE_MODE);
    if (ctx.otherUid !== undefined) chownSync(target, ctx.otherUid, ctx.otherUid);
  }
  return planted;
}

export async function measurePrecreated(ctx: FaultContext, profile: StoreProfile): Promise<Measured<PrecreatedResult>> {
  const skip = noDefaultPath(profile);
  if (skip) return skip;
  const seed = `${ctx.store}-precreated`;
  const tmpdir = sharedTmpFolder(ctx, 'tmp-precreated');
  const scratch = folderFor(ctx, 'tmp-precreated', 'attacker-scratch');
  const attacker = await driveStore(ctx, 'tmp-precreated-attacker', {
    seed: `${seed}-attacker`,
    ops: [{ f: 'open', tmpdir: scratch }, { f: 'put-session', session: forgedSession() }],
    workDir: folderFor(ctx, 'tmp-precreated'),
    timeoutMs: 30_000,
  });
  const planted = plantPrecreated(ctx, scratch, tmpdir);
  if (!attacker.completed || planted.length === 0) {
    throw new Error(`the attacker's driver made no store file to plant (exit ${attacker.exit.code ?? attacker.exit.signal})`);
  }
  const files = planted.map((name) => {
    const stat = statSync(path.join(tmpdir, name));
    return { name, owner: stat.uid, mode: modeString(stat.mode) };
  });
  const victim = await driveStore(ctx, 'tmp-precreated-victim', {
    seed,
    ops: [{ f: 'open', tmpdir }, { f: 'get-state', state: FORGED_STATE }, { f: 'put', index: 0 }, { f: 'check', indices: [0] }],
    workDir: folderFor(ctx, 'tmp-precreated'),
    timeoutMs: 30_000,
  });
  const lookup = outcomeOf(victim, 1);
  const forged = lookup?.type === 'ok' ? (lookup.value as GetStateValue) : undefined;
  const verifier = seededVerifier(seed, 0);
  const stillPlanted = files.filter((file) => {
    const full = path.join(tmpdir, file.name);
    return existsSync(full) && !lstatSync(full).isSymbolicLink() && statSync(full).uid === file.owner;
  });
  return {
    status: 'measured',
    files,
    createdBy: ctx.otherUid !== undefined ? `planted as uid ${ctx.otherUid}` : 'the same user as the store (no other user available)',
    forgedAccepted: forged?.found === true && forged.verifierS256 === createHash('sha256').update(FORGED_VERIFIER).digest('base64url'),
    lookupResult: forged ? (forged.found ? 'forged state found' : 'forged state not found') : resultOf(ctx, victim, 1),
    putResult: resultOf(ctx, victim, 2),
    verifierInAttackerFile: stillPlanted.some((file) => readFileSync(path.join(tmpdir, file.name), 'latin1').includes(verifier)),
    after: stillPlanted.map((file) => {
      const stat = statSync(path.join(tmpdir, file.name));
      return `${file.name} ${modeString(stat.mode)} uid ${stat.uid}`;
    }),
  };
}
