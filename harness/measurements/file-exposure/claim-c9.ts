/**
 * C9, "Zero config" and "debuggable: sessions visible in file system",
 * judged from the json-file cells (they ran with no store configuration at
 * all) and from who else can read what the store leaves on disk.
 */
import type { ClaimRow } from '../measure-context.ts';
import type { CellResult } from '../../core/cell-result.ts';
import type { StoreExposure } from './file-exposure.ts';

export function claimC9(cells: readonly CellResult[], exposures: readonly StoreExposure[]): ClaimRow {
  const base = {
    id: 'C9',
    claim: '"Zero config", "debuggable: sessions visible in file system"',
    measured: 'json-file store: did it work with no store setting; mode bits of what it wrote; could another local user (uid 65534) read a PKCE verifier from it',
    command: 'npm run repro -- --store json-file',
    quick: false,
  };
  const exposure = exposures.find((e) => e.store === 'json-file');
  const splitCell = cells.find((c) => c.scenario === 'split-process' && c.store === 'json-file' && !c.harnessError);
  if (!exposure || !splitCell) {
    return { ...base, figure: '–', samples: '0', verdict: 'unknown', conditions: 'not measured in this run: split-process × json-file and the file exposure check' };
  }
  const files = exposure.files.map((f) => `${f.file} ${f.mode} in a ${f.folderMode} folder`).join('; ') || 'no file';
  const zeroConfig = splitCell.tokenHandoffs.ok === splitCell.flows && splitCell.flows > 0;
  if (exposure.otherUserCheckUnavailable && exposure.files.every((f) => f.readableByOtherUser === undefined)) {
    return { ...base, figure: files, samples: `${exposure.files.length} files`, verdict: 'unknown', conditions: `the other-user read could not run: ${exposure.otherUserCheckUnavailable}` };
  }
  const leaked = exposure.files.filter((f) => f.verifierExposed);
  const figure = `${files}; worked with no store setting: ${zeroConfig ? 'yes' : 'no'}; PKCE verifier readable by another local user: ${leaked.length > 0 ? `yes (${leaked.map((f) => f.file).join(', ')})` : 'no'}`;
  if (!zeroConfig) return { ...base, figure, samples: `${splitCell.flows} flows, ${exposure.files.length} files`, verdict: 'does not hold' };
  return {
    ...base,
    figure,
    samples: `${splitCell.flows} flows, ${exposure.files.length} files`,
    verdict: leaked.length > 0 ? 'holds only under stated conditions' : 'holds',
    conditions: leaked.length > 0 ? 'visible to every local user, not just the debugger: the PKCE verifiers of pending flows can be read by any account on the host' : undefined,
  };
}
