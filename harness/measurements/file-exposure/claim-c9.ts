/**
 * C9, "Zero config" and "debuggable: sessions visible in file system".
 * Each half is measured, none read off another cell:
 * - zero config: the target started with no store variable at all (its own
 *   default) completed whole flows across two processes;
 * - debuggable: a standard tool (jq, sqlite3) run on what the write-up's
 *   store (json-file) left on disk lists the pending flow's state;
 * and, because "visible" has an audience, whether another local user
 * (uid 65534) could read a pending flow's PKCE verifier from those files.
 */
import type { ClaimRow } from '../measure-context.ts';
import type { StoreExposure } from './file-exposure.ts';
import type { ZeroConfigResult } from './zero-config.ts';

const WRITE_UP_STORE = 'json-file';

export function claimC9(exposures: readonly StoreExposure[], zeroConfig: ZeroConfigResult | undefined, store = WRITE_UP_STORE): ClaimRow {
  const base = {
    id: 'C9',
    claim: '"Zero config", "debuggable: sessions visible in file system"',
    measured:
      'zero config: the target with no store variable (its own default), two processes on one host, whole flows; debuggable: jq / sqlite3 on the files the store left after one start_oauth, looking for the pending state; exposure: another local user (uid 65534) reading them for the PKCE verifier',
    command: 'npm run repro',
    quick: false,
  };
  const exposure = exposures.find((e) => e.store === store);
  if (!exposure || !zeroConfig) {
    return { ...base, figure: '–', samples: '0', verdict: 'unknown', conditions: `not measured in this run: ${!exposure ? `the file check of ${store}` : 'the zero-config flows'}` };
  }
  const samples = `${zeroConfig.flows} flows with no store variable, ${exposure.files.length} files of ${store}`;
  const defaultStore = zeroConfig.defaultStore ?? 'its default';
  const zeroOk = zeroConfig.flows > 0 && zeroConfig.passed === zeroConfig.flows;
  const zeroText = `no store variable: ${zeroConfig.passed}/${zeroConfig.flows} flows completed (default store ${defaultStore})`;
  const storeIsDefault = zeroConfig.defaultStore === undefined || zeroConfig.defaultStore === store;
  const listings = exposure.files.flatMap((f) => (f.listing ? [{ file: f.file, ...f.listing }] : []));
  const listed = listings.filter((l) => l.listsPendingState);
  const toolMissing = listings.find((l) => l.error);
  const debugText = listed.length
    ? `pending state listed by \`${listed[0]!.command.split(' ')[0]}\` from ${listed.map((l) => l.file).join(', ')}`
    : toolMissing
      ? `debuggable not measured: ${toolMissing.error}`
      : `no standard tool listed the pending state (${exposure.files.length} files)`;
  const leaked = exposure.files.filter((f) => f.verifierExposed);
  const exposureText = `PKCE verifier readable by another local user: ${leaked.length ? `yes (${leaked.map((f) => `${f.file} ${f.mode}`).join(', ')})` : 'no'}`;
  const figure = `${zeroText}; ${debugText}; ${exposureText}`;

  if (exposure.otherUserCheckUnavailable && exposure.files.every((f) => f.readableByOtherUser === undefined)) {
    return { ...base, figure, samples, verdict: 'unknown', conditions: `the other-user read could not run: ${exposure.otherUserCheckUnavailable}` };
  }
  if (!zeroOk) return { ...base, figure, samples, verdict: 'does not hold', conditions: zeroConfig.errors.join('; ') || undefined };
  if (!listed.length && !toolMissing) return { ...base, figure, samples, verdict: 'does not hold' };
  const conditions: string[] = [];
  if (!storeIsDefault) conditions.push(`zero config measured on this target's own default (${defaultStore}); ${store} itself takes one variable to select`);
  if (toolMissing && !listed.length) conditions.push(`"debuggable" not measured (${toolMissing.error}): judged on zero config only`);
  if (leaked.length) conditions.push('visible to every local user, not just the debugger: the PKCE verifiers of pending flows can be read by any account on the host');
  return { ...base, figure, samples, verdict: conditions.length ? 'holds only under stated conditions' : 'holds', ...(conditions.length ? { conditions: conditions.join('; ') } : {}) };
}
