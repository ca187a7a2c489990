// Does the fs call each stdin line asks for (JSON {id, op, path, from?}) and
// says when it is done; {op: 'ping'} answers at once unless the process is blocked.
import fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { writeFileSync, renameSync } from 'node:fs';
import { createInterface } from 'node:readline';

const done = (id) => console.log(JSON.stringify({ id, done: true }));
console.log(JSON.stringify({ ready: true }));
createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, op, path, from } = JSON.parse(line);
  if (op === 'ping') return done(id);
  if (op === 'writeFileSync') {
    writeFileSync(path, `written by ${op}`);
    return done(id);
  }
  if (op === 'appendFileSync') {
    // How a log is written (the provider-interception preload's, for one): Node sends it through fs.writeFileSync.
    fs.appendFileSync(path, `appended by ${op}\n`);
    return done(id);
  }
  if (op === 'renameSync') {
    fs.writeFileSync(from, `written by ${op}`);
    renameSync(from, path);
    return done(id);
  }
  if (op === 'promises.writeFile') return void writeFile(path, `written by ${op}`).then(() => done(id));
  console.log(JSON.stringify({ id, error: `unknown op ${op}` }));
});
