import { describe, expect, test } from 'vitest';
import { causeLine } from './stderr-cause.ts';

const lines = (text: string) => text.split('\n');

describe('causeLine: the line of a dead process\'s stderr that says what went wrong', () => {
  test.each([
    [
      'an ES module that threw: the error, not the banner, the stack or the source excerpt',
      `starting tool process
file:///app/server.mjs:6
if (!process.env.OAUTH_CLIENT_ID) throw new Error('OAUTH_CLIENT_ID is not set');
                                        ^

Error: OAUTH_CLIENT_ID is not set
    at file:///app/server.mjs:6:41
    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)

Node.js v20.20.2`,
      'Error: OAUTH_CLIENT_ID is not set',
    ],
    [
      'an error with a code and extra fields, and a cause of its own',
      `node:internal/modules/cjs/loader:1228
  throw err;
  ^

Error: Cannot find module '/app/dist/server.js'
    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15) {
  code: 'MODULE_NOT_FOUND',
  requireStack: [],
  [cause]: Error: disk gone
      at x (file:///a.mjs:1:1)
}

Node.js v20.20.2`,
      "Error: Cannot find module '/app/dist/server.js'",
    ],
    ['a Node error with its code in brackets', "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /app/server.mjs\n    at x (node:internal/x:1:1)\n\nNode.js v22.1.0", "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /app/server.mjs"],
    ['a TypeError', "TypeError: Cannot read properties of undefined (reading 'url')\n    at main (file:///app/a.mjs:3:9)\n\nNode.js v20.20.2", "TypeError: Cannot read properties of undefined (reading 'url')"],
    ['a Python traceback', 'Traceback (most recent call last):\n  File "server.py", line 3, in <module>\n    raise ValueError("no client id")\nValueError: no client id', 'ValueError: no client id'],
    ['a program that says why in its own words: its last line', 'starting\nno configuration: refusing to start\n', 'no configuration: refusing to start'],
    ['an error logged earlier does not win over the crash', 'Error: retrying token refresh\nstill starting\nRangeError: port out of range\n\nNode.js v20.20.2', 'RangeError: port out of range'],
  ])('%s', (_name, stderr, expected) => {
    expect(causeLine(lines(stderr))).toBe(expected);
  });

  test('silence, or nothing but Node\'s framing, quotes nothing', () => {
    expect(causeLine([])).toBeUndefined();
    expect(causeLine(['', '   ', 'Node.js v20.20.2'])).toBeUndefined();
  });
});
