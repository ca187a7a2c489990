/**
 * A target whose processes throw while starting: the preflight's one line
 * says what the process said went wrong (its error, not Node's version
 * banner), and the whole explanation stays as the cause.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRunFolder, type RunFolder } from '../core/run-folder.ts';
import { stopAllChildren } from '../deploy/process/child-process.ts';
import { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import { defaultTarget } from '../deploy/target/default-target.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { preflight, TargetStartError } from './prepare-target.ts';

const THROWS = path.join(import.meta.dirname, '..', 'deploy', 'process', 'test-fixtures', 'throws-at-startup.mjs');
const runsRoot = mkdtempSync(path.join(os.tmpdir(), 'prepare-target-test-'));
let run: RunFolder;
let mock: MockAtlassian;

/** The error a promise rejects with; fulfilment fails the test. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error,
  );
}

beforeAll(async () => {
  run = createRunFolder(runsRoot, 'preflight-throws');
  mock = await MockAtlassian.start(run.logDir);
});

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
  rmSync(runsRoot, { recursive: true, force: true });
  rmSync(run.hostsDir, { recursive: true, force: true });
});

describe('preflight of a target whose processes throw at startup', () => {
  test('one line ending in the process\'s own error, the explanation kept as the cause', async () => {
    const throws = { command: 'node', args: [THROWS] };
    const target: TargetDescription = {
      ...defaultTarget,
      name: 'throws at startup',
      tool: { ...throws, ready: { kind: 'mcp-initialize' } },
      callback: { ...throws, ready: { kind: 'log-line', stream: 'stderr', pattern: /listening/ } },
      both: { ...throws, ready: { kind: 'log-line', stream: 'stderr', pattern: /listening/ } },
      port: 'assigned',
      env: () => ({}),
    };
    const failure = await failureOf(preflight(target, 'json-file', mock, run));
    expect(failure).toBeInstanceOf(TargetStartError);
    expect(failure.message).toMatch(/^throws at startup: its single process \(both\) could not be started \(3 attempts\): preflight\.single-process\.retry-3\.tool exited before it was ready \(code 1\): Error: OAUTH_CLIENT_ID is not set \(logs in .*\)$/);
    expect(failure.message).not.toContain('\n');
    // The cause chain keeps every attempt: the retries' summary, then the last attempt's own explanation.
    expect(failure.cause).toBeInstanceOf(Error);
    expect((failure.cause as Error).message).toMatch(/^starting json-file × single-process \(preflight\.single-process\): failed 3 times/);
    expect(((failure.cause as Error).cause as Error).message).toMatch(/^preflight\.single-process\.retry-3\.tool exited before it was ready \(code 1\): Error: OAUTH_CLIENT_ID is not set\n/);
  });
});
