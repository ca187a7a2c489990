/**
 * Loads each target file named on the command line with loadTarget, in a
 * Node process under tsx as the CLI loads them (vitest's own loader reads
 * CommonJS and syntax errors differently), and prints one JSON line each:
 * the error's name, code and message, or the loaded target's name.
 */
import { loadTarget } from '../load-target.ts';

for (const file of process.argv.slice(2)) {
  try {
    const target = await loadTarget(file);
    process.stdout.write(`${JSON.stringify({ file, loaded: target.name })}\n`);
  } catch (error) {
    const { name, code, message } = error as Error & { code?: string };
    process.stdout.write(`${JSON.stringify({ file, name, code, message })}\n`);
  }
}
