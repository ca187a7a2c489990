/**
 * Hostile input, provider faults and security checks in the order they
 * need, on one pool of deployments: the hostile battery first (default
 * knobs), the provider faults next (they change the run's mock knobs, one
 * case at a time, and restore them), the security checks last (they read
 * every log, page and file the first two produced, and stop the pool).
 * Nothing else should use the run's mock while this runs.
 */
import type { MeasureContext, ReliabilityRow } from '../measure-context.ts';
import { DeploymentPool } from '../../deploy/deployment-pool.ts';
import { hostileRows } from '../hostile-input/hostile-rows.ts';
import { measureHostileInput, type HostileInputResult } from '../hostile-input/measure-hostile-input.ts';
import { providerFaultRows } from '../provider-faults/provider-fault-rows.ts';
import { measureProviderFaults, type ProviderFaultsResult } from '../provider-faults/measure-provider-faults.ts';
import { securityRows } from '../security/security-rows.ts';
import { measureSecurity, type SecurityResult } from '../security/measure-security.ts';

export interface ReliabilityMeasurements {
  hostile: HostileInputResult;
  providerFaults: ProviderFaultsResult;
  security: SecurityResult;
}

export async function measureReliability(ctx: MeasureContext): Promise<ReliabilityMeasurements> {
  const pool = new DeploymentPool(ctx, { name: 'reliability' });
  try {
    const hostile = await measureHostileInput(ctx, { pool });
    const providerFaults = await measureProviderFaults(ctx, { pool });
    const security = await measureSecurity(ctx, { pool });
    return { hostile, providerFaults, security };
  } finally {
    await pool.stop();
  }
}

export function reliabilityRows(measured: ReliabilityMeasurements): ReliabilityRow[] {
  return [...hostileRows(measured.hostile), ...providerFaultRows(measured.providerFaults), ...securityRows(measured.security)];
}
