/**
 * The hostile battery and the security checks on a server we did not write
 * and that has no store module: fixtures/targets/unescaped-echo
 * (https-client's server, its callback at /callback, whose error page echoes
 * `error` and `error_description` raw). Every case is aimed at its own
 * callback path and judged on what any server shows; the cases carrying
 * markup in error_description run and fail for the unescaped echo. The
 * security rows run on the same deployments, all but the one that reads code
 * inside the server, which is n/a with the reason.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRunFolder } from '../../harness/core/run-folder.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { loadTarget } from '../../harness/deploy/target/load-target.ts';
import { DeploymentPool } from '../../harness/deploy/deployment-pool.ts';
import { measureSecurity } from '../../harness/measurements/security/measure-security.ts';
import { securityRows } from '../../harness/measurements/security/security-rows.ts';
import { hostileRows } from '../../harness/measurements/hostile-input/hostile-rows.ts';
import { measureHostileInput, type HostileInputResult } from '../../harness/measurements/hostile-input/measure-hostile-input.ts';
import type { ReliabilityRow } from '../../harness/measurements/measure-context.ts';

const TARGET = fileURLToPath(new URL('../../fixtures/targets/unescaped-echo/target.ts', import.meta.url));
const STORE = 'json-file-tmpdir';
let mock: MockAtlassian;
let result: HostileInputResult;
let rows: ReliabilityRow[];
let security: ReliabilityRow[];

beforeAll(async () => {
  const run = createRunFolder(undefined, 'gate-hostile-unescaped-echo');
  mock = await MockAtlassian.start(run.logDir);
  const target = await loadTarget(TARGET);
  expect(target.storeModule).toBeUndefined();
  const ctx = { run, mock, target, stores: [STORE], quick: true };
  const pool = new DeploymentPool(ctx, { name: 'gate-any-target' });
  result = await measureHostileInput(ctx, { pool });
  rows = hostileRows(result);
  security = securityRows(await measureSecurity(ctx, { pool, mcpDraws: 200, drawBudgetMs: 10_000 }));
}, 120_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const cell = (id: string) => rows.find((row) => row.id === `hostile/${id}`)!.perStore[STORE]!;

describe('hostile input × unescaped-echo (no store module)', () => {
  test('the battery ran against its own callback path, every case answered', () => {
    expect(result.errors).toEqual([]);
    const battery = result.batteries.find((b) => b.topology === 'split-process')!;
    expect(battery.control).toMatchObject({ outcome: 'success' });
    expect(battery.cases.every((c) => c.status !== null)).toBe(true);
    const echoed = battery.cases.find((c) => c.caseId === '400-provider-error/error-description-img-onerror')!;
    expect(echoed.target).toContain('/callback?');
    expect(echoed.target).not.toContain('/oauth/callback');
  });

  test.each(['400-provider-error/error-description-img-onerror', '400-provider-error/error-script'])('%s runs and fails for the unescaped echo', (id) => {
    expect(cell(id)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('echoed unescaped') });
  });

  test('cases that carry no markup are judged too, not n/a: a forged state is refused', () => {
    expect(cell('400-invalid-state/forged-state')).toMatchObject({ outcome: 'pass' });
    expect(rows.every((row) => row.perStore[STORE]!.outcome !== 'n/a')).toBe(true);
  });

  test("another user's genuine code is refused and never redeemed at the provider", () => {
    const foreign = result.batteries[0]!.cases.find((c) => c.caseId.endsWith('/state-from-another-users-flow'))!;
    expect(foreign.provider).toMatchObject({ readable: true, statesKnown: 1, newRedemptions: 0 });
    expect(foreign.page?.outcome).not.toBe('success');
  });
});

describe('security × unescaped-echo (no store module)', () => {
  test('only the row that reads code inside the server is n/a, with the reason; every other row ran to a verdict', () => {
    const cells = Object.fromEntries(security.map((row) => [row.id, row.perStore[STORE]!]));
    expect(cells['security/state-entropy-in-process']).toEqual({ outcome: 'n/a', detail: expect.stringContaining('needs a store module') });
    for (const [id, c] of Object.entries(cells)) {
      if (id === 'security/state-entropy-in-process') continue;
      expect(['pass', 'fail'], `${id}: ${c.outcome} ${c.detail}`).toContain(c.outcome);
    }
    expect(cells['security/state-entropy-mcp']).toMatchObject({ outcome: 'pass', detail: expect.stringContaining('200 draws via MCP') });
  });
});
