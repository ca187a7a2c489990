/**
 * Regression: the write-up's json-file store, at its predictable path in a
 * shared /tmp, follows a symlink another user planted there (overwriting
 * the victim file with sessions, PKCE verifiers included), and adopts a
 * file another user pre-created with mode 0666: it accepts the forged state
 * and writes the real verifier into the attacker's file.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createFaultContext, type FaultContext } from './fault-context.ts';
import { measurePrecreated, measureSymlink } from './shared-tmp.ts';
import { profileStore, type StoreProfile } from './store-disk-profile.ts';

const runDir = mkdtempSync(path.join(os.tmpdir(), 'faults-tmp-gate-'));
chmodSync(runDir, 0o755);
let ctx: FaultContext;
let profile: StoreProfile;

beforeAll(async () => {
  ctx = createFaultContext({ store: 'json-file', runDir, quick: true });
  profile = await profileStore(ctx);
}, 30_000);

afterAll(async () => {
  await stopAllChildren({ graceMs: 100 });
  rmSync(runDir, { recursive: true, force: true });
});

describe('json-file at its predictable path in a shared /tmp', () => {
  test('the default path is the write-up\'s, directly in TMPDIR', () => {
    expect(profile.defaultFiles.map((file) => file.name)).toEqual(['jira-oauth-sessions.json']);
  });

  test('a planted symlink is written through: the victim file gets the sessions, verifier included', async () => {
    const result = await measureSymlink(ctx, profile);
    expect(result).toMatchObject({ status: 'measured', putResult: 'ok', wroteThrough: true, verifierInVictim: true });
  });

  test('a pre-created 0666 file is adopted: the forged state is accepted and the real verifier lands in it', async () => {
    const result = await measurePrecreated(ctx, profile);
    expect(result).toMatchObject({ status: 'measured', forgedAccepted: true, verifierInAttackerFile: true });
    if (result.status === 'measured') expect(result.after[0]).toMatch(/ 0666 /);
  });

  test('the profile records its file mode (from the umask, 0644 under 022); the verdict on it is security/session-file-mode\'s alone', () => {
    expect(profile.files[0]?.mode).toBe((0o666 & ~parseInt(profile.umask, 8)).toString(8).padStart(4, '0'));
  });
});
