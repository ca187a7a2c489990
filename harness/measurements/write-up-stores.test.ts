/**
 * The claims are about the write-up's two designs, whatever a target calls
 * its stores: they judged only stores named `memory` and `json-file`, so a
 * server whose JSON-file store had another name got nine unknown claims.
 */
import { describe, expect, it } from 'vitest';
import type { CellResult } from '../core/cell-result.ts';
import { claimC3 } from './topology-claims/topology-claims.ts';
import { writeUpStores } from './write-up-stores.ts';

describe('writeUpStores', () => {
  it("src/'s names are the write-up's", () => {
    expect(writeUpStores({ stores: { memory: { reach: 'process' }, 'json-file': { reach: 'host' }, 'atomic-file': { reach: 'host' } } })).toEqual({ memory: 'memory', file: 'json-file' });
  });

  it('another name: the only store of that reach', () => {
    expect(writeUpStores({ stores: { 'json-sessions': { reach: 'host' } } })).toEqual({
      file: 'json-sessions',
      why: { memory: expect.stringContaining('no store of reach "process"') },
    });
  });

  it('several stores of a reach and no write-up name: unknown, asking the target file to say which', () => {
    const resolved = writeUpStores({ stores: { a: { reach: 'host' }, b: { reach: 'host' } } });
    expect(resolved.file).toBeUndefined();
    expect(resolved.why?.file).toContain('set claimStores.file in the target file');
  });

  it('the target file decides when it says', () => {
    expect(writeUpStores({ stores: { a: { reach: 'host' }, b: { reach: 'host' } }, claimStores: { file: 'b' } }).file).toBe('b');
  });

  it('a claim is judged on the store the resolution names', () => {
    const isolated = { scenario: 'isolated', store: 'json-sessions', flows: 5, stateLookups: { ok: 0, failed: 5 }, tokenExchanges: { ok: 0, failed: 0 }, tokenHandoffs: { ok: 0, failed: 0, superseded: 0, notObservable: 0 } } as unknown as CellResult;
    const c3 = claimC3([isolated], writeUpStores({ stores: { 'json-sessions': { reach: 'host' } } }));
    expect(c3).toMatchObject({ verdict: 'does not hold', figure: expect.stringContaining('isolated × json-sessions') });
    expect(claimC3([isolated], writeUpStores({ stores: { a: { reach: 'host' }, b: { reach: 'host' } } }))).toMatchObject({ verdict: 'unknown' });
  });
});
