/**
 * harness/measurements/hostile-input/: hostile callback requests, judged by what any server shows.
 *
 * The hostile battery on every store's deployments: it needs only HTTP,
 * the mock and the processes' files, so it runs on every target. It is the
 * first of its sequence: provider faults and security then use the same
 * deployments, and security reads the logs this one made them write.
 */
import { rowsColumn } from '../grade-cell.ts';
import { defineMeasurement } from '../measurement.ts';
import { hostileRows } from './hostile-rows.ts';
import { measureHostileInput, type HostileInputResult } from './measure-hostile-input.ts';

/** Hostile input, provider faults and security share one pool and one mock of their own (provider faults turn the mock's knobs). */
export const RELIABILITY_SEQUENCE = 'hostile-provider-security';

export const hostileInputMeasurement = defineMeasurement({
  id: 'hostile-input',
  ownMock: true,
  sequence: RELIABILITY_SEQUENCE,
  columns: [{ name: 'hostile input', what: 'the hostile-input rows' }],
  run: (ctx) => measureHostileInput(ctx, ctx.sequencePool ? { pool: ctx.sequencePool } : {}),
  check: (recorded: HostileInputResult, { stores }) => {
    const rows = hostileRows(recorded);
    return { rows, grades: { 'hostile input': rowsColumn(rows, stores) } };
  },
});
