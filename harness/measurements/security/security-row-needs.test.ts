import { expect, test } from 'vitest';
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import { SECURITY_ROW_NEEDS, securityRowsNotApplicable } from './security-row-needs.ts';

test('without a store module only the in-process draw is n/a, with needs.ts reason; with one, nothing is', () => {
  expect(Object.keys(SECURITY_ROW_NEEDS)).toEqual(['security/state-entropy-in-process']);
  const without = securityRowsNotApplicable({ name: 'x' } as TargetDescription);
  expect(without).toEqual({ 'security/state-entropy-in-process': expect.stringContaining('needs a store module') });
  expect(securityRowsNotApplicable({ name: 'x', storeModule: '/somewhere/stores.ts' } as TargetDescription)).toEqual({});
});
