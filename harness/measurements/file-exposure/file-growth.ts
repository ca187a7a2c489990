/**
 * C5 for a target whose store code the harness cannot drive: bytes per
 * session measured from outside, as the growth of everything the target's
 * processes leave in the simulated host's /tmp and home while flows are left
 * pending (start_oauth only, no callback), per flow.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { History } from '../../core/history.ts';
import { Deployment } from '../../deploy/deployment.ts';
import { startFlow } from '../../deploy/flow/drive-flow.ts';
import type { MeasureContext } from '../measure-context.ts';

export interface FileGrowth {
  store: string;
  /** Pending flows between the two readings. */
  flows: number;
  bytesBefore: number;
  bytesAfter: number;
  bytesPerSession?: number;
  files: string[];
}

/** tsx's compile cache lives in TMPDIR: the runtime's files, not the store's. */
const RUNTIME_CACHE = /^tsx-\d+$/;

function bytesUnder(dir: string): { bytes: number; files: string[] } {
  let bytes = 0;
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (RUNTIME_CACHE.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = bytesUnder(full);
      bytes += inner.bytes;
      files.push(...inner.files.map((f) => path.join(entry.name, f)));
    } else if (entry.isFile()) {
      bytes += statSync(full).size;
      files.push(entry.name);
    }
  }
  return { bytes, files };
}

export async function measureFileGrowth(ctx: MeasureContext, store: string, flows = 20): Promise<FileGrowth> {
  const history = new History();
  const deployment = await Deployment.start({ target: ctx.target, topology: 'split-process', store, label: `file-growth.${store}`, mock: ctx.mock, run: ctx.run, history });
  try {
    const hostRoot = path.dirname(deployment.toolHostTmp);
    // One flow first, so files that exist once per store (a header, a folder) are not counted per session.
    await startFlow(deployment.endpoints, ctx.target, history, 0);
    const before = bytesUnder(hostRoot);
    for (let flow = 1; flow <= flows; flow++) await startFlow(deployment.endpoints, ctx.target, history, flow);
    const after = bytesUnder(hostRoot);
    const grown = after.bytes - before.bytes;
    return { store, flows, bytesBefore: before.bytes, bytesAfter: after.bytes, ...(grown > 0 ? { bytesPerSession: Math.round(grown / flows) } : {}), files: after.files };
  } finally {
    await deployment.stop();
  }
}
