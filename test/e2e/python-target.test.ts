/**
 * A server that is not Node through the whole battery: the python-stdlib
 * fixture (Python 3's standard library, signing in with GitHub at the hosts
 * it hard-codes), run
 * unmodified by `npm run repro -- --target`. Its provider calls reach the
 * run's mock only through the TLS front (its mount namespace's /etc/hosts,
 * the run's CA, and a network namespace per host with loopback only), each
 * logged with the pid of the process that made it;
 * its claims are judged from what it did, and what needs a Node process (the
 * virtual clock) says so instead of guessing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { repro, ROOT } from '../../harness/cli/test-fixtures/run-repro.ts';

interface Results {
  runDir: string;
  cells: { scenario: string; store: string; matched: boolean | 'unknown' }[];
  claims: { id: string; verdict: string; figure: string; conditions?: string }[];
  harnessIncidents: unknown[];
}

let outcome: { code: number; stdout: string; stderr: string };
let results: Results;
let intercepted: { pid?: number; via?: string; url: string; action: string; status?: number }[];

beforeAll(async () => {
  outcome = await repro(['--target', 'fixtures/targets/python-stdlib/target.ts']);
  const runDir = /results, history and logs in (\S+)/.exec(outcome.stdout)?.[1];
  if (!runDir) throw new Error(`no run folder named in the output:\n${outcome.stdout}\n${outcome.stderr}`);
  results = JSON.parse(readFileSync(path.resolve(ROOT, runDir, 'results.json'), 'utf8')) as Results;
  const logs = path.resolve(ROOT, runDir, 'logs');
  intercepted = readdirSync(logs)
    .filter((name) => /^intercept\..*tls-front.*\.jsonl$/.test(name))
    .flatMap((name) => readFileSync(path.join(logs, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as (typeof intercepted)[number]));
}, 90_000);

test('the run completes without a harness error (exit 0, or 1 for the diagnosis of a store that loses the state)', () => {
  expect([0, 1], outcome.stderr).toContain(outcome.code);
  expect(results.harnessIncidents).toEqual([]);
  expect(results.cells.length).toBe(8);
  expect(results.cells.filter((cell) => cell.matched !== true)).toEqual([]);
});

test("its provider calls were answered by the mock's GitHub profile over TLS at GitHub's hosts, each with the pid that made it, none refused", () => {
  const hosts = new Set(intercepted.map((entry) => new URL(entry.url).hostname));
  expect(hosts).toEqual(new Set(['github.com', 'api.github.com']));
  expect(intercepted.filter((entry) => entry.action !== 'redirected')).toEqual([]);
  const tokenCalls = intercepted.filter((entry) => entry.url === 'https://github.com/login/oauth/access_token');
  expect(tokenCalls.length).toBeGreaterThan(20);
  expect(tokenCalls.every((entry) => typeof entry.pid === 'number')).toBe(true);
  // As root with namespaces (CI), every call came from a host's network namespace (loopback only) through its relay.
  if (process.getuid?.() === 0 && !process.env.OAUTH_REPRO_NO_NAMESPACES && !process.env.OAUTH_REPRO_NO_NETNS) expect(intercepted.filter((entry) => entry.via !== 'netns-relay')).toEqual([]);
});

test('the claims its code decides are judged; the ones that need a Node process say so', () => {
  const claim = (id: string) => results.claims.find((row) => row.id === id)!;
  expect(claim('C1').verdict).toBe('holds');
  expect(claim('C3').verdict).toBe('does not hold');
  expect(claim('C5')).toMatchObject({ verdict: 'holds', figure: expect.stringMatching(/^json-file: 1\d\d B per session on disk/) });
  expect(claim('C6')).toMatchObject({ verdict: 'unknown', conditions: expect.stringMatching(/needs a Node target/) });
});
