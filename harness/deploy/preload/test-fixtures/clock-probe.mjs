// Answers each stdin line (a query id) with what this process's clock says,
// next to real time (performance.timeOrigin is taken from the real clock at start).
import { createInterface } from 'node:readline';

console.log(JSON.stringify({ ready: true, pid: process.pid }));
createInterface({ input: process.stdin }).on('line', (id) => {
  const real = performance.timeOrigin + performance.now();
  console.log(
    JSON.stringify({
      id,
      real,
      dateNow: Date.now(),
      newDate: new Date().getTime(),
      dateCall: Date(),
      epochZero: new Date(0).getTime(),
      parsed: new Date('2020-01-01T00:00:00.000Z').getTime(),
      isDate: new Date() instanceof Date,
    }),
  );
});
