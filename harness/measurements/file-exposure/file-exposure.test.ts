import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { claimC9 } from './claim-c9.ts';
import { containsVerifierFor, measureFileExposure, s256, type StoreExposure } from './file-exposure.ts';
import type { ZeroConfigResult } from './zero-config.ts';

describe('containsVerifierFor', () => {
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  test('finds a verifier by its S256, even inside binary-ish surroundings', () => {
    expect(containsVerifierFor(`\u0000\u0001xx${verifier}\u0002`, s256(verifier))).toBe(true);
    expect(containsVerifierFor(`{"codeVerifier": "${verifier}"}`, s256(verifier))).toBe(true);
  });
  test('does not find it when absent', () => {
    expect(containsVerifierFor('{"state": "nothing here"}', s256(verifier))).toBe(false);
  });
});

describe('C9: who can read what the store leaves on disk (real processes)', () => {
  let run: RunFolder;
  let mock: MockAtlassian;
  let exposures: StoreExposure[];

  beforeAll(async () => {
    run = createRunFolder(undefined, 'gate-c9');
    mock = await MockAtlassian.start(run.logDir);
    exposures = await measureFileExposure({ run, mock, target: defaultTarget, stores: ['memory', 'json-file'], quick: true });
  });
  afterAll(async () => {
    await mock?.stop();
    await stopAllChildren({ graceMs: 300 });
  });

  test('json-file leaves a 0644 session file from which another local user reads the PKCE verifier', () => {
    const json = exposures.find((e) => e.store === 'json-file')!;
    const sessions = json.files.find((f) => f.file.endsWith('jira-oauth-sessions.json'));
    expect(sessions).toMatchObject({ mode: '0644', readableByOtherUser: true, verifierExposed: true });
  });

  test('memory leaves nothing on disk', () => {
    expect(exposures.find((e) => e.store === 'memory')!.files).toEqual([]);
  });

  test('debuggable is measured: jq lists the pending flow\'s state from the json-file session file', () => {
    const sessions = exposures.find((e) => e.store === 'json-file')!.files.find((f) => f.file.endsWith('jira-oauth-sessions.json'));
    expect(sessions?.listing).toMatchObject({ command: expect.stringMatching(/^jq /), listsPendingState: true });
  });

  // Regression: C9's zero-config half was read off a cell that ran with SESSION_STORE=json-file.
  test('C9 verdict is computed from measured zero config: a target that fails with no store variable does not hold', () => {
    const ok: ZeroConfigResult = { topology: 'split-process', defaultStore: 'sqlite', flows: 3, passed: 3, handoffsAttributed: 3, errors: [] };
    expect(claimC9(exposures, ok)).toMatchObject({ id: 'C9', verdict: 'holds only under stated conditions', conditions: expect.stringContaining('any account on the host') });
    expect(claimC9(exposures, { ...ok, passed: 0, errors: ['start: missing configuration'] })).toMatchObject({ verdict: 'does not hold' });
  });
});
