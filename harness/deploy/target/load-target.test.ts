/** Target files: validated field by field, resolved with defaults, and refused with one line naming the field. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTarget, locate, TargetFileError } from './load-target.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url));

describe('loadTarget', () => {
  it('loads a fixture target and fills the defaults', async () => {
    const target = await loadTarget(fileURLToPath(new URL('../../../fixtures/targets/factory-fetch/target.ts', import.meta.url)));
    expect(target).toMatchObject({ name: expect.stringContaining('factory-fetch'), port: 'assigned', callbackPath: '/oauth/callback', healthPath: '/health', tool: { ready: { kind: 'mcp-initialize' } } });
    expect(target.tokenTool).toBeUndefined();
    expect(target.authorizeUrlFrom({ text: 'please open https://auth.atlassian.com/authorize?state=abc in your browser' })).toBe('https://auth.atlassian.com/authorize?state=abc');
  });

  it('a misspelled field is named', async () => {
    await expect(loadTarget(fixture('misspelled.target.ts'))).rejects.toThrow(/unknown field\(s\) "callbakPage" \(did you mean "callbackPage"\?\)/);
  });

  it('a missing field is named', async () => {
    const error = await loadTarget(fixture('missing-field.target.ts')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetFileError);
    expect((error as Error).message).toMatch(/startFlow: Required/);
  });

  it('a file that does not exist is one line', async () => {
    await expect(loadTarget('/nonexistent/x.target.ts')).rejects.toThrow('target /nonexistent/x.target.ts: no such file');
  });
});

describe('locate', () => {
  it('reads a dotted structuredContent field, or the first group of a pattern', () => {
    expect(locate({ field: 'a.b' }, { structuredContent: { a: { b: 'x' } }, text: '' })).toBe('x');
    expect(locate({ pattern: /id (\w+)/ }, { text: 'my id abc' })).toBe('abc');
    expect(locate({ field: 'missing' }, { text: '' })).toBeUndefined();
  });
});
