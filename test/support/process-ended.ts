import { readFileSync } from 'node:fs';

/**
 * Whether a process has ended: gone (ESRCH), or a zombie, which has exited
 * and only waits for its parent to read its status. An orphan's parent is
 * init, and the init of some machines (this one's, a container's) reaps
 * only every second or two: waiting for ESRCH there waited on init, not on
 * the process. A zombie can neither run nor write, so for a test asking
 * whether a process was ended it is as ended as a reaped one.
 */
export function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state …": comm may hold spaces and parentheses, so the state is read after the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    // Gone between the two looks (or no /proc): ended if the signal check now says so.
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}
