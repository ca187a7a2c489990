/**
 * A watchdog that outlives a crashed harness just long enough to clean up
 * after it. The harness starts it detached, with an IPC channel, and sends
 * {add: pid} / {remove: pid} for every child process group and
 * {addDir: path} / {removeDir: path} for every temporary folder of the run
 * (the simulated hosts, redis-server's folder). When the channel
 * disconnects the harness is gone (exited, crashed, or SIGKILLed: the
 * kernel closes the socket in every case), so every group still registered
 * gets SIGTERM, then SIGKILL after a grace period; once they are gone, every
 * folder still registered is removed (a process still running could write
 * into it again). It says {ready: true} once it listens: a message sent
 * before that would be lost, so the harness holds them until then.
 *
 * Plain JavaScript with node: imports only: it must start fast and depend on
 * nothing that could fail to load. (remove-folder.mjs is the same: plain, node: only.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { removeFolder } from '../../core/remove-folder.mjs';

const GRACE_MS = Number(process.env.REAPER_GRACE_MS ?? 1500);
/** After SIGKILL, how long to wait for the kernel (and init, reaping them) before removing the folders anyway. */
const DEATH_WAIT_MS = 3000;
const groups = new Set();
const dirs = new Set();

// Ctrl-C reaches the whole foreground process group, but the reaper runs in
// its own group (detached); these guard against a signal sent to it by name.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * The groups with a member that can still run (or write): a zombie cannot,
 * and the children of a dead harness stay zombies until init reaps them,
 * which can take seconds. Read from /proc; without it, any member counts.
 */
function livingGroups(pgids) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return new Set(pgids.filter((pgid) => signalGroup(pgid, 0)));
  }
  const wanted = new Set(pgids);
  const living = new Set();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (wanted.has(Number(pgrp)) && state !== 'Z' && state !== 'X') living.add(Number(pgrp));
    } catch {
      // gone while reading
    }
  }
  return living;
}

/** Resolves when every group is gone, or at the deadline: polling, since these are not our children to wait for. */
function allGone(pids, deadlineMs) {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve) => {
    const check = () => {
      if (livingGroups(pids).size === 0 || Date.now() >= until) resolve();
      else setTimeout(check, 25);
    };
    check();
  });
}

process.on('message', (message) => {
  if (typeof message?.addDir === 'string') {
    dirs.add(message.addDir);
    return;
  }
  if (typeof message?.removeDir === 'string') {
    dirs.delete(message.removeDir);
    return;
  }
  const pid = Number(message?.add ?? message?.remove);
  if (!Number.isInteger(pid) || pid <= 1) return;
  if (message.add !== undefined) groups.add(pid);
  else groups.delete(pid);
});

process.on('disconnect', async () => {
  const alive = [...groups].filter((pid) => signalGroup(pid, 'SIGTERM'));
  if (alive.length > 0) {
    await allGone(alive, GRACE_MS);
    for (const pid of alive) signalGroup(pid, 'SIGKILL');
    await allGone(alive, DEATH_WAIT_MS);
  }
  for (const dir of dirs) {
    try {
      removeFolder(dir);
    } catch {
      // Nobody is left to tell; the folder's name says which run it was.
    }
  }
  process.exit(0);
});

if (process.connected) process.send({ ready: true }, () => undefined);
else process.exit(0); // the harness was gone before this could listen: nothing was registered
