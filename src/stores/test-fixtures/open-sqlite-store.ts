/**
 * A child process that opens src/'s sqlite store on the file named by its
 * argument once told to, and says whether it could: `opened`, or the error's
 * code. It says `ready` when loaded and waits for a line on stdin, so that
 * several open at the same moment, not a module load apart.
 */
import { SqliteSessionStore } from '../sqlite-store.ts';

process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  try {
    const store = new SqliteSessionStore({ databaseFile: process.argv[2]! });
    await store.close();
    process.stdout.write('opened\n');
  } catch (error) {
    process.stdout.write(`${(error as { code?: string }).code ?? (error as Error).message}\n`);
  }
  process.exit(0);
});
