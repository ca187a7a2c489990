/**
 * harness/measurements/security/: file modes, state entropy, secrets in logs, pages and the repository.
 *
 * Last of its sequence: it reads every log, page and file that hostile input
 * and provider faults made the deployments produce, after stopping them.
 */
import { rowsColumn } from '../grade-cell.ts';
import { RELIABILITY_SEQUENCE } from '../hostile-input/hostile-input-measurement.ts';
import { defineMeasurement } from '../measurement.ts';
import { measureSecurity, type SecurityResult } from './measure-security.ts';
import { securityRows } from './security-rows.ts';

export const securityMeasurement = defineMeasurement({
  id: 'security',
  ownMock: true,
  sequence: RELIABILITY_SEQUENCE,
  columns: [{ name: 'security', what: 'the security rows' }],
  run: (ctx) => measureSecurity(ctx, ctx.sequencePool ? { pool: ctx.sequencePool } : {}),
  check: (recorded: SecurityResult, { stores }) => {
    const rows = securityRows(recorded);
    return { rows, grades: { security: rowsColumn(rows, stores) } };
  },
});
