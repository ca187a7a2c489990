/** Why a target file would not load, told with the place to look, whichever loader said it and however it said it. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeImportFailure, describeSyntaxCheck } from './import-failure.ts';

const absolute = path.join(process.cwd(), 'their', 'x.target.ts');
const file = { absolute, shown: './their/x.target.ts' };

function withStack<E extends Error>(error: E, stack: string): E {
  error.stack = stack;
  return error;
}

describe('describeImportFailure', () => {
  it("tsx's transform error: the location from the message's second line, the column counted from 1", () => {
    const error = new Error(`Transform failed with 1 error:\n${absolute}:3:26: ERROR: Expected "}" but found ")"`);
    expect(describeImportFailure(error, file)).toBe('./their/x.target.ts:3:27: ERROR: Expected "}" but found ")"');
  });

  it('several transform errors: the first, and how many more', () => {
    const error = new Error(`Transform failed with 3 errors:\n${absolute}:3:26: ERROR: Expected "}" but found ")"\n${absolute}:9:0: ERROR: Unexpected end of file`);
    expect(describeImportFailure(error, file)).toBe('./their/x.target.ts:3:27: ERROR: Expected "}" but found ")" (and 2 more)');
  });

  it("esbuild's build error: the location from errors[0].location", () => {
    const error = Object.assign(new Error('Build failed with 1 error'), { errors: [{ text: 'Unterminated string literal', location: { file: absolute, line: 12, column: 6 } }] });
    expect(describeImportFailure(error, file)).toBe('./their/x.target.ts:12:7: ERROR: Unterminated string literal');
  });

  it("Node's CommonJS parser: the location from the stack's header and its caret", () => {
    const error = withStack(new SyntaxError("Unexpected token ')'"), `${absolute}:3\n  tool: { ) },\n          ^\n\nSyntaxError: Unexpected token ')'\n    at wrapSafe (node:internal/modules/cjs/loader:1469:18)`);
    expect(describeImportFailure(error, file)).toBe("./their/x.target.ts:3:11: SyntaxError: Unexpected token ')'");
  });

  it("Node's ESM parser says nowhere: what `node --check` said is used", () => {
    const error = withStack(new SyntaxError("Unexpected token ')'"), "SyntaxError: Unexpected token ')'\n    at compileSourceTextModule (node:internal/modules/esm/utils:340:16)");
    const checked = describeSyntaxCheck(`${absolute}:3\n  tool: { ) },\n          ^\n\nSyntaxError: Unexpected token ')'\n    at checkSyntax (node:internal/main/check_syntax:74:5)\n\nNode.js v20.20.2\n`, file);
    expect(checked).toBe("./their/x.target.ts:3:11: SyntaxError: Unexpected token ')'");
    expect(describeImportFailure(error, file, () => checked)).toBe(checked);
    expect(describeImportFailure(error, file, () => undefined)).toBe("./their/x.target.ts: SyntaxError: Unexpected token ')'");
  });

  it("an error thrown by the file's top level: its message at the file's first frame, by path or by file URL", () => {
    const byPath = withStack(new Error('SERVER_BINARY is not set'), `Error: SERVER_BINARY is not set\n    at serverBinary (${absolute}:4:22)\n    at <anonymous> (${absolute}:8:50)\n    at Module._compile (node:internal/modules/cjs/loader:1521:14)`);
    expect(describeImportFailure(byPath, file)).toBe('./their/x.target.ts:4:22: SERVER_BINARY is not set');
    const byUrl = withStack(new TypeError("Cannot read properties of undefined (reading 'port')"), `TypeError: Cannot read properties of undefined (reading 'port')\n    at ${pathToFileURL(absolute).href}:17:31\n    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)`);
    expect(describeImportFailure(byUrl, file)).toBe("./their/x.target.ts:17:31: TypeError: Cannot read properties of undefined (reading 'port')");
  });

  it('an error with no frame in the file: its message and its causes', () => {
    const error = new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    error.stack = 'Error: fetch failed\n    at node:internal/deps/undici/undici:13502:13';
    expect(describeImportFailure(error, file)).toBe('fetch failed ← connect ECONNREFUSED 127.0.0.1:9');
  });

  it('a syntax error in a file the target imports is shown at that file', () => {
    const helper = path.join(process.cwd(), 'their', 'helper.ts');
    const error = new Error(`Transform failed with 1 error:\n${helper}:1:7: ERROR: Expected ";" but found "x"`);
    expect(describeImportFailure(error, file)).toBe(`${path.join('their', 'helper.ts')}:1:8: ERROR: Expected ";" but found "x"`);
  });
});
