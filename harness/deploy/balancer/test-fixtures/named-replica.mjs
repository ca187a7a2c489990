// A replica in miniature: answers every request with its own name (argv[2]),
// on an ephemeral loopback port it announces with the readiness line, and
// exits when its stdin closes. A request without Mcp-Session-Id gets a new
// session's id in the answer's header, as an MCP server's initialize does.
import http from 'node:http';

const name = process.argv[2] ?? 'replica';
let sessions = 0;
const server = http.createServer((request, response) => {
  request.resume();
  if (request.headers['mcp-session-id'] === undefined) {
    sessions += 1;
    response.setHeader('mcp-session-id', `${name}-session-${sessions}`);
  }
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end(name);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ ready: 'replica', url: `http://127.0.0.1:${server.address().port}`, pid: process.pid })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
