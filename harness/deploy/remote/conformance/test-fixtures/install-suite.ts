// One harness installing the conformance suite into the cache folder it is
// given, for the test of two installing at once: prints what it got as one
// JSON line, or the error's code and message.
import { ensureConformanceSuite } from '../conformance-install.ts';

const cacheDir = process.argv[2];
if (!cacheDir) throw new Error('usage: install-suite.ts <cache folder>');
try {
  process.stdout.write(`${JSON.stringify(await ensureConformanceSuite({ cacheDir }))}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as { code?: string }).code ?? 'unknown', message: (error as Error).message })}\n`);
  process.exitCode = 1;
}
