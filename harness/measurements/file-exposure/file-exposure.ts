/**
 * C9's other half: "debuggable: sessions visible in file system". Visible to
 * whom? After one start_oauth, every file the store left on the tool
 * process's host is read by a different, unprivileged local user (uid
 * 65534, through setpriv), and searched for the flow's PKCE verifier: a
 * 43-character base64url string whose S256 is the code_challenge the
 * authorize URL carried.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from '../../deploy/deployment.ts';
import { History } from '../../core/history.ts';
import { spawnChild } from '../../deploy/process/child-process.ts';
import type { MeasureContext } from '../measure-context.ts';
import { listPendingSessions, type DebugListing } from './debug-listing.ts';

export interface ExposedFile {
  /** Relative to the simulated host's root. */
  file: string;
  mode: string;
  folderMode: string;
  /** Could uid 65534 read it? undefined when the check could not run. */
  readableByOtherUser?: boolean;
  verifierExposed: boolean;
  /** A standard tool's listing of the pending sessions in it (jq, sqlite3); absent for files no such tool reads. */
  listing?: DebugListing;
}

export interface StoreExposure {
  store: string;
  /** The state of the flow left pending when the files were read. */
  pendingState?: string;
  files: ExposedFile[];
  /** Why the other-user check could not run, when it could not. */
  otherUserCheckUnavailable?: string;
}

const NOBODY = '65534';

const modeOf = (file: string) => (statSync(file).mode & 0o7777).toString(8).padStart(4, '0');

/** tsx keeps its compile cache in TMPDIR (tsx-<uid>/): the runtime's files, not the store's. */
const RUNTIME_CACHE = /^tsx-\d+$/;

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (RUNTIME_CACHE.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Does the text hold a string whose S256 is the challenge? */
export function containsVerifierFor(text: string, challenge: string): boolean {
  for (const match of text.matchAll(/[A-Za-z0-9_-]{43,128}/g)) {
    const candidate = match[0];
    // A verifier may sit inside a longer run of base64url characters in a binary file.
    for (let start = 0; start + 43 <= candidate.length; start++) {
      if (s256(candidate.slice(start, start + 43)) === challenge) return true;
    }
  }
  return false;
}

async function readAsOtherUser(ctx: MeasureContext, file: string, label: string): Promise<{ text?: string; error?: string }> {
  const child = spawnChild({
    name: `${label}.read-as-uid-${NOBODY}`,
    command: 'setpriv',
    args: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'cat', file],
    env: {},
    logDir: ctx.run.logDir,
  });
  const exit = await child.exited.catch(() => undefined);
  if (!exit) return { error: 'setpriv did not run' };
  // The child keeps a bounded window of its output: a file too large for it is not read whole, and a partial read proves nothing.
  if (exit.code === 0) return child.stdout.dropped === 0 ? { text: child.stdout.lines.join('\n') } : { error: `${file} is too large to read whole through a child's output (${child.stdout.dropped} lines not kept)` };
  const why = child.stderr.lines.join(' ');
  // "Permission denied" from cat is the answer; anything from setpriv itself means the check could not run.
  if (/Permission denied/.test(why) && /^cat:/.test(why)) return { text: undefined };
  return { error: why || `setpriv exited with code ${exit.code}` };
}

export async function measureFileExposure(ctx: MeasureContext): Promise<StoreExposure[]> {
  const results: StoreExposure[] = [];
  for (const store of ctx.stores) {
    const label = `exposure.${store}`;
    const history = new History();
    const deployment = await Deployment.start({ target: ctx.target, topology: 'split-process', store, label, mock: ctx.mock, run: ctx.run, history });
    try {
      const started = await deployment.tool.call(ctx.target.tools.startFlow, { ...ctx.target.tools.startFlowArgs });
      const authUrl = ctx.target.authorizeUrlFrom(started);
      const challenge = authUrl ? new URL(authUrl).searchParams.get('code_challenge') : null;
      const state = authUrl ? (new URL(authUrl).searchParams.get('state') ?? '') : '';
      if (!challenge) throw new Error(`${ctx.target.tools.startFlow} gave no authorize URL with a code_challenge`);
      const hostRoot = path.dirname(deployment.toolHostTmp);
      const exposure: StoreExposure = { store, files: [], pendingState: state.slice(0, 12) };
      for (const file of filesUnder(hostRoot)) {
        const read = await readAsOtherUser(ctx, file, label);
        const listing = state ? await listPendingSessions(file, state) : undefined;
        if (read.error) exposure.otherUserCheckUnavailable = read.error;
        exposure.files.push({
          file: path.relative(hostRoot, file),
          mode: modeOf(file),
          folderMode: modeOf(path.dirname(file)),
          readableByOtherUser: read.error ? undefined : read.text !== undefined,
          verifierExposed: read.text !== undefined && containsVerifierFor(read.text, challenge),
          ...(listing ? { listing } : {}),
        });
      }
      results.push(exposure);
    } finally {
      await deployment.stop();
    }
  }
  return results;
}
