/**
 * A watchdog that outlives a crashed harness just long enough to kill its
 * children. The harness starts it detached, with an IPC channel, and sends
 * {add: pid} / {remove: pid} for every child process group. When the channel
 * disconnects the harness is gone (exited, crashed, or SIGKILLed: the kernel
 * closes the socket in every case), so every group still registered gets
 * SIGTERM, then SIGKILL after a grace period.
 *
 * Plain JavaScript with node: imports only: it must start fast and depend on
 * nothing that could fail to load.
 */
const GRACE_MS = Number(process.env.REAPER_GRACE_MS ?? 1500);
const groups = new Set();

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

process.on('message', (message) => {
  const pid = Number(message?.add ?? message?.remove);
  if (!Number.isInteger(pid) || pid <= 1) return;
  if (message.add !== undefined) groups.add(pid);
  else groups.delete(pid);
});

process.on('disconnect', () => {
  const alive = [...groups].filter((pid) => signalGroup(pid, 'SIGTERM'));
  if (alive.length === 0) process.exit(0);
  setTimeout(() => {
    for (const pid of alive) signalGroup(pid, 'SIGKILL');
    process.exit(0);
  }, GRACE_MS);
});
