/**
 * `oauth-state-repro init [DIR]`: reads the server in DIR (default: the
 * working directory), writes DIR/repro.target.ts, runs the preflight, and
 * says what it could not settle: each TODO in the file is one line here.
 * An existing file is kept unless --force: it may hold the user's work.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_DEFAULT_TARGET } from '../../deploy/target/default-target-file.ts';
import { EXIT } from '../exit-code.ts';
import { initPreflight } from './init-preflight.ts';
import { readServer } from './read-server.ts';
import { unbundlablePackages } from './unbundlable-packages.ts';
import { readPackageJson, readSourceFiles } from './source-files.ts';
import { INVALID_STATE, phrasePattern } from './page-texts.ts';
import { renderTarget, settleUnknownState, UNKNOWN_STATE_TODO } from './target-text.ts';

export const INIT_USAGE = `Usage: oauth-state-repro init [DIR] [--force] [--no-preflight]

Reads the MCP server in DIR (default: this folder): its package.json, where it
creates its MCP server and which transport it connects, the environment
variables its OAuth code reads, its callback route, the provider hosts it
names and its callback's page texts; writes DIR/${PACKAGE_DEFAULT_TARGET}, then runs one
flow through it (single-process) as a check. What it could not settle is a
TODO in the file and one line here.

  --force          replace an existing ${PACKAGE_DEFAULT_TARGET}
  --no-preflight   write the file only`;

export async function runInit(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  let values: { force?: boolean; 'no-preflight'?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: { force: { type: 'boolean' }, 'no-preflight': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }));
  } catch (error) {
    process.stderr.write(`init: ${error instanceof Error ? error.message : String(error)}\n${INIT_USAGE}\n`);
    return EXIT.usage;
  }
  if (values.help) {
    write(`${INIT_USAGE}\n`);
    return EXIT.matched;
  }
  if (positionals.length > 1) {
    process.stderr.write(`init: one folder at most, got ${positionals.length}\n`);
    return EXIT.usage;
  }
  const dir = path.resolve(positionals[0] ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`init: ${positionals[0] ?? '.'}: not a folder\n`);
    return EXIT.usage;
  }
  const file = path.join(dir, PACKAGE_DEFAULT_TARGET);
  const shown = path.relative(process.cwd(), file) || file;
  if (existsSync(file) && !values.force) {
    process.stderr.write(`init: ${shown} exists; --force replaces it\n`);
    return EXIT.usage;
  }
  const files = readSourceFiles(dir);
  if (files.length === 0) {
    process.stderr.write(`init: no JavaScript or TypeScript source found in ${positionals[0] ?? '.'}\n`);
    return EXIT.usage;
  }
  const reading = readServer(files, readPackageJson(dir), path.basename(dir), unbundlablePackages(dir, files));
  let rendered = renderTarget(reading);
  writeFileSync(file, rendered.text);
  write(`init: wrote ${shown} from ${files.length} source file(s)\n`);
  const unknownStateOpen = rendered.todos.includes(UNKNOWN_STATE_TODO);
  for (const line of rendered.todos) if (line !== UNKNOWN_STATE_TODO || values['no-preflight']) write(`  TODO: ${line}\n`);
  if (values['no-preflight']) return rendered.todos.length ? EXIT.mismatch : EXIT.matched;
  write('init: preflight, one flow through it…\n');
  const outcome = await initPreflight(file, { probeUnknownState: true });
  // What the running callback says to a state it never issued outranks what was read from the code: a log line or an error's words can read like a page.
  const page = outcome.unknownStatePage ?? [];
  const read = reading.pages.invalidState;
  if (page.length && read && new RegExp(phrasePattern(read)).test(page.join('\n'))) {
    write(`  ok: its callback's answer to a made-up state matches callbackPage.invalidState\n`);
  } else if (page.length) {
    const answer = page.find((phrase) => INVALID_STATE.test(phrase)) ?? page.find((phrase) => phrase !== reading.pages.failure) ?? page[0]!;
    rendered = settleUnknownState(rendered, answer);
    writeFileSync(file, rendered.text);
    write(`  ok: its callback answers a made-up state with "${answer}": written as callbackPage.invalidState${read ? ` (in place of "${read}", read from its code)` : ''}\n`);
  } else if (unknownStateOpen) write(`  TODO: ${UNKNOWN_STATE_TODO}\n`);
  const todos = rendered.todos;
  write(`  ${outcome.ok ? 'ok' : 'TODO'}: ${outcome.line}\n`);
  write(todos.length || !outcome.ok ? `init: settle the TODOs above in ${shown}, then: npx oauth-state-repro --target ${shown}\n` : `init: next: npx oauth-state-repro --target ${shown}\n`);
  return todos.length === 0 && outcome.ok ? EXIT.matched : EXIT.mismatch;
}
