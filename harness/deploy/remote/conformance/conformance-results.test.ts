/**
 * The suite's real output (test-fixtures/, captured from a run against the
 * MCP SDK's example server) read as data: its scenario list, its results
 * folders' names, the scenarios a run started, and each scenario's
 * checks.json judged pass or fail with the reason a person needs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeScenario, parseServerScenarioList, scenarioOfResultFolder, startedScenarios } from './conformance-results.ts';

const FIXTURES = fileURLToPath(new URL('./test-fixtures/', import.meta.url));

function lines(file: string): string[] {
  return readFileSync(path.join(FIXTURES, file), 'utf8').split('\n');
}

/** scenario → its checks.json text, from a captured results folder. */
function results(folder: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of readdirSync(path.join(FIXTURES, folder))) {
    found.set(scenarioOfResultFolder(name)!, readFileSync(path.join(FIXTURES, folder, name, 'checks.json'), 'utf8'));
  }
  return found;
}

const plain = results('example-server-results');
const oauth = results('example-server-oauth-results');

describe('the scenario list', () => {
  it('reads every server scenario of `list --server`, in its order, without the spec versions', () => {
    const names = parseServerScenarioList(lines('list-server.stdout.txt'));
    expect(names).toHaveLength(32);
    expect(names.slice(0, 3)).toEqual(['server-initialize', 'logging-set-level', 'ping']);
    expect(names.at(-1)).toBe('dns-rebinding-protection');
    expect(names).toContain('json-schema-2020-12');
  });

  it('stops at the client section of a plain `list`', () => {
    const output = ['Server scenarios (test against a server):', '  - ping [2025-06-18,2025-11-25]', '', 'Client scenarios (test against a client):', '  - initialize [2025-06-18,2025-11-25]'];
    expect(parseServerScenarioList(output)).toEqual(['ping']);
  });
});

describe('result folders and the run log', () => {
  it('takes the scenario out of a result folder name, hyphens and all', () => {
    expect(scenarioOfResultFolder('server-server-sse-multiple-streams-2026-12-06T02-24-44-707Z')).toBe('server-sse-multiple-streams');
    expect(scenarioOfResultFolder('server-ping-2026-12-06T02-24-44-207Z')).toBe('ping');
    expect(scenarioOfResultFolder('checks.json')).toBeUndefined();
    expect(scenarioOfResultFolder('server-ping')).toBeUndefined();
  });

  it('every captured folder names a listed scenario', () => {
    const listed = new Set(parseServerScenarioList(lines('list-server.stdout.txt')));
    for (const name of [...plain.keys(), ...oauth.keys()]) expect(listed.has(name)).toBe(true);
  });

  it('lists the scenarios a run started, in order', () => {
    const started = startedScenarios(lines('example-server.stdout.txt'));
    expect(started).toEqual(parseServerScenarioList(lines('list-server.stdout.txt')));
  });
});

describe('a scenario judged from its checks', () => {
  it('a scenario whose checks all succeeded passes', () => {
    expect(judgeScenario('ping', plain.get('ping')!)).toEqual({ name: 'ping', outcome: 'pass', checks: { succeeded: 1, failed: 0, warnings: 0 } });
    expect(judgeScenario('dns-rebinding-protection', plain.get('dns-rebinding-protection')!)).toMatchObject({ outcome: 'pass', checks: { succeeded: 2, failed: 0 } });
  });

  it('a failed check fails it, and its message is the detail', () => {
    expect(judgeScenario('tools-call-image', plain.get('tools-call-image')!)).toEqual({
      name: 'tools-call-image',
      outcome: 'fail',
      detail: 'ToolsCallImage: No image content found',
      checks: { succeeded: 0, failed: 1, warnings: 0 },
    });
  });

  it('warnings do not fail a scenario on their own but are in its detail', () => {
    const judged = judgeScenario('server-sse-polling', plain.get('server-sse-polling')!);
    expect(judged.outcome).toBe('fail');
    expect(judged.checks).toEqual({ succeeded: 0, failed: 1, warnings: 2 });
    expect(judged.detail).toMatch(/^IncomingSseEvent: .*; 2 warnings: ServerSendsPrimingEvent: /);
    const warnedOnly = JSON.stringify([
      { id: 'a', name: 'A', status: 'SUCCESS' },
      { id: 'b', name: 'B', status: 'WARNING', errorMessage: 'no retry field' },
    ]);
    expect(judgeScenario('x', warnedOnly)).toEqual({ name: 'x', outcome: 'pass', detail: '1 warning: B: no retry field', checks: { succeeded: 1, failed: 0, warnings: 1 } });
  });

  it("the suite's pass of a tool the server lacks stays a pass: the judgement is the suite's", () => {
    const judged = judgeScenario('tools-call-simple-text', plain.get('tools-call-simple-text')!);
    expect(judged.outcome).toBe('pass');
    expect(plain.get('tools-call-simple-text')).toContain('Tool test_simple_text not found');
  });

  it('a server that wants a token fails every check with its 401, and the detail quotes it', () => {
    const judged = judgeScenario('ping', oauth.get('ping')!);
    expect(judged.outcome).toBe('fail');
    expect(judged.detail).toContain('Missing Authorization header');
    const rebinding = judgeScenario('dns-rebinding-protection', oauth.get('dns-rebinding-protection')!);
    expect(rebinding).toMatchObject({ outcome: 'fail', checks: { succeeded: 1, failed: 1 } });
    expect(rebinding.detail).toContain('got 401');
  });

  it('a scenario that checked nothing proved nothing: it fails', () => {
    expect(judgeScenario('x', JSON.stringify([{ id: 'i', name: 'Info', status: 'INFO' }]))).toMatchObject({ outcome: 'fail', detail: 'no check succeeded (1 made)' });
    expect(judgeScenario('x', '[]')).toMatchObject({ outcome: 'fail' });
  });

  it('a checks.json that is not the suite\'s format is an error, not a verdict', () => {
    expect(judgeScenario('x', '{"oops":')).toMatchObject({ outcome: 'error' });
    expect(judgeScenario('x', JSON.stringify([{ id: 'a' }]))).toMatchObject({ outcome: 'error', detail: expect.stringContaining('0.name') });
  });
});
