/** A target file's default export, told apart from the exports object Node's CommonJS interop puts in its place. */
import { describe, expect, it } from 'vitest';
import { defaultExportOf } from './default-export.ts';

/** What Node gives for a CommonJS module: the exports object as `default`, and its detected names beside it. */
const commonJs = (exports: Record<string, unknown>) => ({ ...exports, default: exports });

describe('defaultExportOf', () => {
  it('an ES module with a default export: that value', () => {
    const target = { name: 'their server' };
    expect(defaultExportOf({ default: target })).toEqual({ found: true, value: target });
  });

  it('an ES module with only named exports: none, and the names', () => {
    expect(defaultExportOf({ target: { name: 'x' } })).toEqual({ found: false, namedExports: ['target'] });
  });

  it('CommonJS that exports nothing: the empty exports object is no default', () => {
    expect(defaultExportOf(commonJs({}))).toEqual({ found: false, namedExports: [] });
  });

  it('CommonJS with named exports only: no default, and the names', () => {
    expect(defaultExportOf(commonJs({ target: { name: 'x' } }))).toEqual({ found: false, namedExports: ['target'] });
  });

  it('CommonJS whose exports object is the target (module.exports = {...}): the target, checked field by field later', () => {
    const exported = { name: 'x', tool: { command: 'node' } };
    expect(defaultExportOf(commonJs(exported))).toEqual({ found: true, value: exported });
    // A field missing from it is the schema's to name, not "no default export".
    const nameless = { tool: { command: 'node' } };
    expect(defaultExportOf(commonJs(nameless))).toEqual({ found: true, value: nameless });
  });

  it('ESM compiled to CommonJS (__esModule): its `default` property, or none', () => {
    const target = { name: 'x' };
    expect(defaultExportOf({ default: { __esModule: true, default: target } })).toEqual({ found: true, value: target });
    expect(defaultExportOf({ default: { __esModule: true, target } })).toEqual({ found: false, namedExports: ['target'] });
  });

  it('a default that is not a plain object (a class instance, a function) is taken as it is', () => {
    const value = new Map();
    expect(defaultExportOf({ default: value })).toEqual({ found: true, value });
  });
});
