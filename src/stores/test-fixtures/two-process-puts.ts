/**
 * Two real node processes putting sessions into one store at the same time
 * (store-driver.ts), for the lost-update tests of the one-host stores. Both
 * announce "ready", then both get "go" together, so their puts interleave.
 */
import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const STORE_DRIVER = fileURLToPath(new URL('./store-driver.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Driver {
  readonly child: ResultPromise;
  /** Resolves with the first stdout line (seen or to come) that matches; rejects with stderr if the driver exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stderr(): string;
}

/** Starts the driver with its own output listeners from the first byte (execa's buffering off). */
export function startDriver(args: string[]): Driver {
  const child = execa(process.execPath, ['--import', 'tsx', STORE_DRIVER, ...args], {
    cwd: PROJECT_ROOT,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    env: { PATH: process.env.PATH ?? '' },
    extendEnv: false,
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const errors: string[] = [];
  let ended = false;
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const rl = createInterface({ input: child.stdout! });
  rl.on('line', (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  rl.on('close', () => {
    ended = true;
    for (const wake of waiters) wake();
  });
  child.stdin!.on('error', () => undefined);
  return {
    child,
    stderr: () => errors.join(''),
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => settle(`no line matching ${pattern} within ${timeoutMs} ms`), timeoutMs);
        const settle = (why?: string) => {
          const found = lines.find((line) => pattern.test(line));
          if (found === undefined && why === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          if (found !== undefined) resolve(found);
          else reject(new Error(`store driver pid ${child.pid}: ${why}\n${errors.join('')}`));
        };
        const check = () => settle(ended ? 'stdout ended' : undefined);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Runs two drivers doing `perProcess` puts each into the store at sessionFile; resolves when both are done. */
export async function twoProcessPuts(kind: string, sessionFile: string, perProcess: number): Promise<{ prefixes: [string, string] }> {
  const prefixes: [string, string] = ['a', 'b'];
  const drivers = prefixes.map((prefix) => startDriver([kind, sessionFile, 'puts', prefix, String(perProcess)]));
  try {
    await Promise.all(drivers.map((driver) => driver.waitFor(/^ready$/)));
    const done = drivers.map((driver) => driver.waitFor(/^done \d+$/, 60_000));
    for (const driver of drivers) driver.child.stdin!.write('go\n');
    await Promise.all(done);
    for (const driver of drivers) driver.child.stdin!.end();
    const results = await Promise.all(drivers.map((driver) => driver.child));
    results.forEach((result, i) => {
      if (result.exitCode !== 0) throw new Error(`store driver exited ${result.exitCode}: ${drivers[i]!.stderr()}`);
    });
    return { prefixes };
  } finally {
    for (const driver of drivers) driver.child.kill('SIGKILL');
  }
}
