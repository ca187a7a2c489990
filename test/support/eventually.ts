/** Polls until `done` holds or the deadline passes; the answer is `done` at the end, never the clock's. For tests that wait on another process (a reaper, a killed child) to finish its work. */
export async function eventually(done: () => boolean, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return done();
}
