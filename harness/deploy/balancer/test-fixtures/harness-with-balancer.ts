// A harness in miniature with a balancer: starts haproxy (its replica need
// not exist: haproxy only connects when a request comes), waits until the
// orphan reaper knows of it, prints the pids of haproxy's master, its
// worker and the reaper, then waits to be killed.
import { reaperReady } from '../../process/reaper.ts';
import { HaproxyBalancer } from '../haproxy-balancer.ts';

const runDir = process.argv[2];
if (!runDir) throw new Error('usage: harness-with-balancer.ts <run folder>');
const balancer = await HaproxyBalancer.start({ runDir, name: 'haproxy-crash-test', policy: 'roundrobin', replicas: [{ name: 'nowhere', host: '127.0.0.1', port: 9 }] });
const reaper = await reaperReady();
process.stdout.write(`balancer ${balancer.pid} worker ${balancer.workerPid} reaper ${reaper}\n`);
setInterval(() => undefined, 1000);
