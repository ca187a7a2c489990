/**
 * Why a target file could not be imported, with the place to look, as
 * `<file>:<line>:<column>: <what>`. Each loader says where in its own way:
 * tsx (esbuild's transform) on the message's second line
 * (`Transform failed with 1 error:\n/abs/x.target.ts:3:26: ERROR: …`),
 * esbuild's build API in `errors[0].location`, Node's CommonJS parser in the
 * stack's header (`/abs/x.cjs:3\n<source line>\n    ^`), an error thrown by
 * the file's top level in its stack frames; Node's ESM parser says nowhere,
 * so the caller may pass what `node --check` said. The target file is shown
 * the way the user named it, and columns count from 1 as editors do
 * (esbuild's count from 0).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ImportedFile {
  absolute: string;
  /** As the user gave it (`--target ./their.target.ts`). */
  shown: string;
}

interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number } | null;
}

export function describeImportFailure(error: unknown, file: ImportedFile, syntaxCheck?: () => string | undefined): string {
  if (!(error instanceof Error)) return String(error);
  const show = (where: string) => showPath(where, file);
  const firstLine = error.message.split('\n')[0] ?? '';

  const esbuildErrors = (error as { errors?: EsbuildMessage[] }).errors;
  const located = Array.isArray(esbuildErrors) ? esbuildErrors.find((m) => m.location) : undefined;
  if (located?.location) return `${show(located.location.file)}:${located.location.line}:${located.location.column + 1}: ERROR: ${located.text}${more(esbuildErrors!.length)}`;

  // esbuild's text form: each error on its own line after "Transform failed with N error(s):".
  const transformLines = error.message.split('\n').slice(1).map((line) => /^(.+?):(\d+):(\d+): (ERROR: .*)$/.exec(line)).filter((m) => m !== null);
  if (transformLines.length) {
    const [, where, line, column, what] = transformLines[0]!;
    const count = Number(/failed with (\d+) errors?/.exec(firstLine)?.[1] ?? transformLines.length);
    return `${show(where!)}:${line}:${Number(column) + 1}: ${what}${more(count)}`;
  }

  if (error instanceof SyntaxError) {
    const header = /^(.+):(\d+)\n.*\n( *)\^/.exec(error.stack ?? '');
    if (header) return `${show(header[1]!)}:${header[2]}:${header[3]!.length + 1}: SyntaxError: ${firstLine}`;
    const checked = syntaxCheck?.();
    if (checked) return checked;
    return `${file.shown}: SyntaxError: ${firstLine}`;
  }

  const frame = frameIn(error.stack ?? '', file.absolute);
  const what = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${firstLine}${causes(error)}`;
  return frame ? `${file.shown}:${frame.line}:${frame.column}: ${what}` : what;
}

/**
 * What `node --check` said of the file (its stderr), as `<file>:<line>:<column>: SyntaxError: …`;
 * undefined when it found nothing to say.
 */
export function describeSyntaxCheck(stderr: string, file: ImportedFile): string | undefined {
  const header = /^(.+):(\d+)\n.*\n( *)\^.*\n(?:\n)?(SyntaxError: .*)$/m.exec(stderr);
  if (!header) return undefined;
  return `${showPath(header[1]!, file)}:${header[2]}:${header[3]!.length + 1}: ${header[4]}`;
}

function more(count: number): string {
  return count > 1 ? ` (and ${count - 1} more)` : '';
}

/** The first stack frame in the target file itself: where its top level threw, or called what threw. */
function frameIn(stack: string, absolute: string): { line: string; column: string } | undefined {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const where = `(?:${escape(absolute)}|${escape(pathToFileURL(absolute).href)})`;
  const match = new RegExp(`^\\s+at (?:.*\\()?${where}:(\\d+):(\\d+)\\)?$`, 'm').exec(stack);
  return match ? { line: match[1]!, column: match[2]! } : undefined;
}

/** ` ← cause ← its cause`: a wrapped error says little until its cause is read. */
function causes(error: Error): string {
  const links: string[] = [];
  for (let current = error.cause, depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    links.push(current instanceof Error ? (current.message.split('\n')[0] ?? '') : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return links.map((link) => ` ← ${link}`).join('');
}

function showPath(where: string, file: ImportedFile): string {
  const absolute = path.resolve(where.startsWith('file://') ? fileURLToPath(where) : where);
  if (absolute === file.absolute) return file.shown;
  const relative = path.relative(process.cwd(), absolute);
  return relative.startsWith('..') ? absolute : relative;
}
