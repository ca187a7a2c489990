/**
 * The first process of a replica's network namespace (started under
 * `unshare --net`): it keeps the namespace alive while the replica's
 * processes enter it with nsenter, and says when the namespace exists, so
 * nothing enters the harness's own namespace by racing it. Exits when stdin
 * closes; the namespace goes with its last process.
 */
console.log(JSON.stringify({ ready: 'network-namespace', url: 'netns:', pid: process.pid }));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
