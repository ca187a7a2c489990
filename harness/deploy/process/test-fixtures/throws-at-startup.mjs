// A program that fails its configuration check the way a real one does: a
// couple of log lines, then an uncaught throw, which Node reports with the
// source line, a caret, the error, its stack and Node's version banner.
process.stderr.write('starting tool process\n');
process.stderr.write('reading configuration from the environment\n');
if (!process.env.OAUTH_CLIENT_ID) throw new Error('OAUTH_CLIENT_ID is not set');
process.stdout.write(JSON.stringify({ ready: 'thrower', url: 'none', pid: process.pid }) + '\n');
