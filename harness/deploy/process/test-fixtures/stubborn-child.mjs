// A child that ignores SIGTERM and a closed stdin, so only SIGKILL ends it:
// the worst case the harness's shutdown must still handle.
process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\n'));
process.on('SIGINT', () => process.stderr.write('ignoring SIGINT\n'));
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => process.stderr.write('ignoring closed stdin\n'));
setInterval(() => undefined, 1000);
process.stdout.write(JSON.stringify({ ready: 'stubborn', url: 'none', pid: process.pid }) + '\n');
