/**
 * The store micro-benchmarks (C5 bytes per session, C7 per-operation
 * latency by live sessions) as text tables, for REPORT.md's "Store
 * micro-benchmarks" section.
 */
import type { StoreFootprintResult } from '../measurements/store-bench/store-footprint.ts';
import { OPS, type StoreLatencyResult } from '../measurements/store-bench/store-latency.ts';
import type { OpStats } from '../measurements/store-bench/op-stats.ts';

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function footprintTable(result: StoreFootprintResult): string[] {
  const rows = result.disk.filter((d) => d.available).map((d) => [
    d.store,
    ...result.settings.diskSizes.map((size) => {
      const p = d.points.find((q) => q.sessions === size);
      if (!d.hasFiles) return 'no file';
      if (!p) return 'skipped';
      return `${p.bytes} B (${p.bytesPerSession}${p.marginalBytesPerSession !== undefined ? `, +${p.marginalBytesPerSession}` : ''})`;
    }),
    d.seedMethod ?? '–',
  ]);
  const notMeasured = result.disk.filter((d) => !d.available).map((d) => `  ${d.store}: not measured: ${d.error}`);
  const heapLines = result.heap.map((h) =>
    h.error
      ? `heap of ${h.store}: not measured (${h.error})`
      : `heap of ${h.store} holding ${h.sessions.toLocaleString('en-US')} sessions${h.emailPerSession ? ' (an email string per session)' : ' (URI and email shared, as this server builds them)'}: ${h.bytesPerSession} B per session (${h.heapDeltaBytes} B in all; pid ${h.pid})`,
  );
  return [
    `disk: folder bytes at N sessions (bytes per session, +marginal bytes per session); claim ${result.claimedBytesPerSession} B`,
    ...table(['store', ...result.settings.diskSizes.map((s) => `N=${s.toLocaleString('en-US')}`), 'filled by'], rows),
    ...notMeasured,
    ...heapLines,
  ];
}

const interval = (stats: OpStats) => (stats.p50IntervalUs ? ` [${stats.p50IntervalUs.low}–${stats.p50IntervalUs.high}]` : '');

export function latencyTable(result: StoreLatencyResult): string[] {
  const base = result.stores.find((s) => s.store === result.baseline);
  const rows: string[][] = [];
  for (const entry of result.stores) {
    for (const p of entry.points) {
      const b = base?.points.find((q) => q.liveSessions === p.liveSessions);
      rows.push([
        entry.store,
        p.liveSessions.toLocaleString('en-US'),
        ...OPS.map((op) => `${p.ops[op].p50Us}${interval(p.ops[op])}${b && entry !== base ? ` (×${(p.ops[op].p50Us / b.ops[op].p50Us).toFixed(1)})` : ''}`),
        p.mintState ? String(p.mintState.p50Us) : '–',
        String(p.repetitions),
      ]);
    }
  }
  const notMeasured = result.stores.flatMap((entry) =>
    entry.skippedSizes.length ? [`  ${entry.store}: not measured at ${entry.skippedSizes.map((s) => s.liveSessions.toLocaleString('en-US')).join(', ')}: ${entry.skippedSizes[0]!.reason}`] : [],
  );
  const misses = result.stores.flatMap((entry) => entry.points.filter((p) => p.misses > 0).map((p) => `  ${entry.store} at ${p.liveSessions}: ${p.misses} cycles did not get back the session just put`));
  return [
    `per-operation p50 in µs [its 95% interval] (× memory at the same size); timer floor ${result.timerFloorNs} ns; load average ${result.environment.loadAverageAtStart} → ${result.environment.loadAverageAtEnd}`,
    ...table(['store', 'live', 'put', 'get', 'take', 'mintState', 'cycles'], rows),
    ...notMeasured,
    ...misses,
  ];
}


export function renderStoreBench(raw: { footprint: StoreFootprintResult; latency: StoreLatencyResult } | undefined, quick: boolean): string[] {
  if (!raw) return [];
  return [
    '## Store micro-benchmarks',
    '',
    `Every store opened in this process, with realistic values (an https redirect URI, a full email, 43-character state and verifier)${quick ? '; the quick version inside `npm run repro`, `npm run bench` goes to 100,000 live sessions' : ''}.`,
    '',
    '```',
    ...footprintTable(raw.footprint),
    '',
    ...latencyTable(raw.latency),
    '```',
    '',
  ];
}
