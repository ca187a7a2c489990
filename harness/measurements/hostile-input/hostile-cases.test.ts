import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fillCase, HostileCaseError, loadHostileCases, payloadValues } from './hostile-cases.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'hostile-cases-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('fixtures/hostile-payloads', () => {
  const cases = loadHostileCases();

  it('holds at least 40 cases, ids unique, every expected status a 4xx', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.expectedStatus, c.id).toBeGreaterThanOrEqual(400);
      expect(c.expectedStatus, c.id).toBeLessThan(500);
    }
  });

  it('covers every class the issue names', () => {
    const ids = cases.map((c) => c.id).join(' ');
    for (const needle of ['missing-code', 'missing-state', 'empty-code', 'empty-state', 'duplicated-code', 'duplicated-state', 'state-10kb', 'forged-state', 'another-users-flow', 'replayed', 'state-control', 'state-bidi', 'percent-nul', 'crlf', 'error-script', 'error-description-img-onerror', 'state-script', 'code-script']) {
      expect(ids, needle).toContain(needle);
    }
  });
});

describe('loadHostileCases', () => {
  it('decodes escapes into raw bytes and keeps placeholders for later', () => {
    const dir = mkdtempSync(path.join(scratch, 'ok-'));
    writeFileSync(path.join(dir, '400-bad-request.cases'), '# comment\n\nraw-crlf  GET  /cb?state=x\\r\\ny\\x00{live}\n');
    const [only] = loadHostileCases(dir);
    expect(only).toMatchObject({ id: '400-bad-request/raw-crlf', expectedStatus: 400, expectedOutcome: 'bad-request', method: 'GET', touchesLiveState: true });
    expect(only!.template).toBe('/cb?state=x\r\ny\u0000{live}');
  });

  it('names the file and line of a malformed case', () => {
    const dir = mkdtempSync(path.join(scratch, 'bad-'));
    writeFileSync(path.join(dir, '400-x.cases'), 'just-an-id\n');
    expect(() => loadHostileCases(dir)).toThrow(HostileCaseError);
    expect(() => loadHostileCases(dir)).toThrow(/400-x\.cases:1: expected "<case-id> <METHOD> <target>"/);
  });
});

describe('fillCase and payloadValues', () => {
  it('fills every placeholder', () => {
    const filled = fillCase('/cb?{foreign-query}&s={forged}&l={live}&r={replay-query}&p={repeat:3:Z}', { forged: 'F', live: 'L', foreignQuery: 'code=c&state=s', replayQuery: 'R' });
    expect(filled).toBe('/cb?code=c&state=s&s=F&l=L&r=R&p=ZZZ');
  });

  it('decodes the query as a server would, names and values', () => {
    expect(payloadValues('/oauth/callback?state=%3Cscript%3E&code')).toEqual(['/oauth/callback', 'state', '<script>', 'code']);
  });
});
