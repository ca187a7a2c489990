// A harness in miniature with the run's redis-server: starts it, waits until
// the orphan reaper knows of it, prints redis's pid, the reaper's and redis's
// folder, then waits to be killed.
import os from 'node:os';
import { reaperReady } from '../../process/reaper.ts';
import { RedisServer } from '../redis-server.ts';

const server = await RedisServer.start({ logDir: process.argv[2] ?? os.tmpdir(), name: 'redis-crash-test' });
const reaper = await reaperReady();
process.stdout.write(`redis ${server.pid} reaper ${reaper} folder ${server.dir}\n`);
setInterval(() => undefined, 1000);
