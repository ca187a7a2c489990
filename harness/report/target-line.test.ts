import { describe, expect, it } from 'vitest';
import { targetLine } from './format.ts';

describe('targetLine', () => {
  const source = { file: 'src/repro.target.ts', version: 'git abc' };
  it('names the provider the target signed in with', () => {
    expect(targetLine({ target: 'jira-mcp (src/) on GitHub', targetSource: source, provider: 'github' })).toBe(
      "Target: jira-mcp (src/) on GitHub (src/repro.target.ts, git abc), signing in with GitHub (the mock's github profile)",
    );
    expect(targetLine({ target: 't', provider: 'atlassian' })).toBe("Target: t, signing in with Atlassian (the mock's atlassian profile)");
  });
  it('says nothing of a provider an older document does not name', () => {
    expect(targetLine({ target: 't', targetSource: source })).toBe('Target: t (src/repro.target.ts, git abc)');
  });
});
