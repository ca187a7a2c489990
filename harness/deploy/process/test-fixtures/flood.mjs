// A child that prints far more than anyone reads: COUNT numbered lines of 128
// bytes each on STREAM, then "flood done", then exits ("exit") or keeps
// running until its stdin closes ("stay"). Writes wait for the pipe to drain,
// as a real program's console does, so nothing is lost at exit.
import { once } from 'node:events';

const [stream = 'stdout', count = '1000', after = 'exit'] = process.argv.slice(2);
const out = stream === 'stderr' ? process.stderr : process.stdout;
const total = Number(count);
const filler = 'x'.repeat(115);
for (let start = 1; start <= total; start += 1000) {
  let batch = '';
  for (let i = start; i < Math.min(start + 1000, total + 1); i++) batch += `line ${String(i).padStart(6, '0')} ${filler}\n`;
  if (!out.write(batch)) await once(out, 'drain');
}
out.write('flood done\n');
if (after === 'stay') {
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  setInterval(() => undefined, 1000);
}
