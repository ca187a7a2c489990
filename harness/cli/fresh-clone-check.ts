/**
 * `npm run fresh-clone-check`: what a newcomer sees. Clones the committed
 * HEAD into a temporary folder and runs the README's two commands there
 * (`npm ci && npm run repro`, then `npm test`), timing each. Uncommitted
 * work is not in the clone, on purpose: only commits land.
 */
import { $, fs, os, path } from 'zx';

const source = process.cwd();
const target = await fs.mkdtemp(path.join(os.tmpdir(), 'oauth-state-repro-clone-'));
$.verbose = false;
$.quiet = true;

async function step(title: string, command: () => Promise<unknown>): Promise<boolean> {
  const started = Date.now();
  process.stdout.write(`• ${title} … `);
  try {
    await command();
    process.stdout.write(`ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return true;
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stdout ?? '';
    const errors = (error as { stderr?: string }).stderr ?? String(error);
    process.stdout.write(`FAILED (${((Date.now() - started) / 1000).toFixed(1)} s)\n${output.slice(-3000)}\n${errors.slice(-3000)}\n`);
    return false;
  }
}

let ok = await step(`git clone ${source} ${target}`, () => $`git clone --quiet ${source} ${target}`);
const inClone = $({ cwd: target });
ok = ok && (await step('npm ci', () => inClone`npm ci --no-audit --no-fund`));
ok = ok && (await step('npm run repro', () => inClone`npm run repro`));
ok = ok && (await step('npm test', () => inClone`npm test`));
process.stdout.write(ok ? `fresh clone passes; left in ${target}\n` : `fresh clone FAILED; inspect ${target}\n`);
process.exitCode = ok ? 0 : 1;
