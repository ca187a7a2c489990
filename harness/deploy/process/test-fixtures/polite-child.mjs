// A child that exits as soon as its stdin closes, like the processes of src/.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
setInterval(() => undefined, 1000);
process.stdout.write(JSON.stringify({ ready: 'polite', url: 'none', pid: process.pid }) + '\n');
