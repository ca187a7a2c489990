// A tool process that answers MCP initialize, then prints COUNT lines on
// stdout that are not MCP (a console.log left in a loop, say) and "flood
// done", and never answers another request: what makes the harness's next
// request time out.
import { once } from 'node:events';
import readline from 'node:readline';

const total = Number(process.argv[2] ?? '1000');
const filler = 'x'.repeat(100);

async function flood() {
  for (let start = 1; start <= total; start += 1000) {
    let batch = '';
    for (let i = start; i < Math.min(start + 1000, total + 1); i++) batch += `debug: polling ${String(i).padStart(6, '0')} ${filler}\n`;
    if (!process.stdout.write(batch)) await once(process.stdout, 'drain');
  }
  process.stdout.write('flood done\n');
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.method !== 'initialize') return;
  const result = { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'flooding-tool-process', version: '0.0.0' } };
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }) + '\n');
  void flood();
});
lines.on('close', () => process.exit(0));
