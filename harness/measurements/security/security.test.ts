/**
 * Gate: the security checks over a real run. One json-file deployment takes
 * the hostile cases that aim at the logs (CR/LF, controls, bidi), a full
 * flow (so tokens exist) and 300 states drawn over MCP; then every log of
 * the run folder is scanned for the client secret, the tokens, the
 * verifiers (by value from the session file, and by hash against every
 * code_challenge sent) and forged lines, and must hold none.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DeploymentPool } from '../../deploy/deployment-pool.ts';
import { measureHostileInput } from '../hostile-input/measure-hostile-input.ts';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { measureSecurity, type SecurityResult } from './measure-security.ts';
import { securityRows } from './security-rows.ts';

let mock: MockAtlassian;
let result: SecurityResult;
let hostileCases = 0;

beforeAll(async () => {
  const run = createRunFolder(undefined, 'gate-security');
  mock = await MockAtlassian.start(run.logDir);
  const ctx = { run, mock, target: defaultTarget, stores: ['json-file'], quick: true };
  const pool = new DeploymentPool(ctx, { name: 'gate-security' });
  const hostile = await measureHostileInput(ctx, { pool, only: ['400-invalid-state/state-crlf', '400-invalid-state/state-control', '400-invalid-state/state-bidi', '400-provider-error/error-description-crlf'] });
  hostileCases = hostile.batteries[0]?.cases.length ?? 0;
  result = await measureSecurity(ctx, { pool, mcpDraws: 300, drawBudgetMs: 10_000, inProcessDraws: 2000 });
}, 35_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const rowOf = (id: string) => securityRows(result).find((r) => r.id === `security/${id}`)!.perStore['json-file']!;
const store = () => {
  expect(result.errors).toEqual([]);
  return result.perStore.find((s) => s.store === 'json-file')!;
};

describe('security checks × json-file over a real run', () => {
  test('the log scan covered the run: hostile requests made, secrets known by value', () => {
    expect(hostileCases).toBe(4);
    expect(store().logHygiene.files).toBeGreaterThanOrEqual(2);
    expect(store().logs.scannedBytes).toBeGreaterThan(0);
    expect(result.knownSecrets['client-secret']).toBeGreaterThanOrEqual(1);
    expect(result.knownSecrets['access-token']).toBeGreaterThanOrEqual(1);
    expect(result.knownSecrets.verifier).toBeGreaterThanOrEqual(300);
  });

  test('no client secret, token, verifier or code in any log of the run', () => {
    expect(store().logs.findings).toEqual([]);
    expect(result.sharedLogs.scan.findings).toEqual([]);
    expect(rowOf('log-redaction').outcome).toBe('pass');
  });

  test('no forged line and no raw control character in the logs, after CR/LF and ESC in states', () => {
    expect(store().logHygiene).toMatchObject({ rawControlChars: 0, forgedLines: [] });
    expect(rowOf('log-injection').outcome).toBe('pass');
  });

  test('no verifier in a URL or page the user saw', () => {
    expect(store().exposure.urls).toBeGreaterThanOrEqual(300);
    expect(store().exposure.findings).toEqual([]);
    expect(rowOf('verifier-never-exposed').outcome).toBe('pass');
  });

  test('300 states over MCP: unique, 43 base64url characters, ≈256 bits', () => {
    const { draws } = store();
    expect(draws.drawn).toBe(300);
    expect(draws.entropy).toMatchObject({ unique: 300, length: { min: 43, max: 43 }, decodedBytes: 32 });
    expect(draws.entropy.estimatedBits).toBeGreaterThan(200);
    expect(rowOf('state-entropy-mcp').outcome).toBe('pass');
    expect(rowOf('state-entropy-in-process').outcome).toBe('pass');
  });

  test('the session file is found with its verifiers, and its verdict follows its mode bits', () => {
    const session = store().files.find((f) => f.relative.endsWith('jira-oauth-sessions.json'));
    expect(session, JSON.stringify(store().files.map((f) => f.relative))).toBeDefined();
    expect(session!.verifierCount).toBeGreaterThanOrEqual(300);
    const readable = (Number.parseInt(session!.mode, 8) & 0o044) !== 0;
    expect(rowOf('session-file-mode').outcome).toBe(readable ? 'fail' : 'pass');
  });

  test('no secret in the repository', () => {
    expect(result.repository.error).toBeUndefined();
    expect(result.repository.findings).toEqual([]);
  });
});
