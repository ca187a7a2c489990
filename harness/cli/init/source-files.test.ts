/**
 * What init reads of a folder: its sources, not its packages, build output,
 * tests or target files; and the files outside it that it imports by
 * relative path (a monorepo's shared folder), named relative to it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { unbundlablePackages } from './unbundlable-packages.ts';
import { closureOf, importGraph, readSourceFiles } from './source-files.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'init-source-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function put(relative: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), text);
}

test('sources inside, imports outside; packages, build output, tests and target files left out', () => {
  put('server/src/index.ts', "import { x } from './oauth.js';\nimport { common } from '../../common/pages.ts';");
  put('server/src/oauth.ts', 'export const x = 1;');
  put('server/src/oauth.test.ts', 'test');
  put('server/repro.target.ts', 'export default {}');
  put('server/dist/index.js', 'built');
  put('server/node_modules/pkg/index.js', 'package');
  put('common/pages.ts', "import './strings';");
  put('common/strings.ts', "export const OK = 'Signed in';");
  put('common/unrelated.ts', 'not imported');
  const files = readSourceFiles(path.join(root, 'server'));
  expect(files.map((f) => f.path)).toEqual(['src/index.ts', 'src/oauth.ts', '../common/pages.ts', '../common/strings.ts']);
  const graph = importGraph(files);
  expect(closureOf('src/index.ts', graph).sort()).toEqual(['../common/pages.ts', '../common/strings.ts', 'src/index.ts', 'src/oauth.ts']);
});

test('packages a bundle cannot hold (a native addon, code reading __dirname), found where Node would find them, are named; others are not', () => {
  put('app/node_modules/fast-db/package.json', '{"name":"fast-db"}');
  put('app/node_modules/fast-db/binding.gyp', '{}');
  put('node_modules/@scope/gyp-flagged/package.json', '{"name":"@scope/gyp-flagged","gypfile":true}');
  put('node_modules/plain/package.json', '{"name":"plain"}');
  put('node_modules/plain/index.js', 'module.exports = 1;');
  put('node_modules/located/package.json', '{"name":"located"}');
  put('node_modules/located/lib/paths.js', "const here = require('path').join(__dirname, 'x');");
  const files = [{ path: 'index.ts', text: "import Db from 'fast-db';\nimport { x } from '@scope/gyp-flagged/sub';\nimport plain from 'plain';\nimport located from 'located';\nimport fs from 'node:fs';\nimport { y } from './y.ts';" }];
  expect(unbundlablePackages(path.join(root, 'app'), files)).toEqual(['@scope/gyp-flagged', 'fast-db', 'located']);
});
