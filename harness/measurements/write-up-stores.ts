/**
 * Which of a target's stores the write-up's claims are about: its `memory`
 * design (a static Map: one process) and its `file` design (one JSON file
 * every process reads and rewrites). Named by the target file when it says
 * so; else a store named as the write-up's (`memory`, `json-file`); else the
 * only store of that reach (`process`, `host`). Otherwise the claims about
 * that design are unknown, with this reason: a guess among several stores
 * would judge the write-up on a store it never described.
 */
import type { TargetDescription } from '../deploy/target/target-description.ts';
import type { ClaimRow } from './measure-context.ts';

export interface WriteUpStores {
  memory?: string;
  file?: string;
  /** Why a design has no store, for the claims that are then unknown. */
  why?: { memory?: string; file?: string };
}

const DESIGNS = {
  memory: { name: 'memory', reach: 'process', words: 'a static Map (one process)' },
  file: { name: 'json-file', reach: 'host', words: 'one JSON file every process reads and rewrites' },
} as const;

export function writeUpStores(target: Pick<TargetDescription, 'stores' | 'claimStores'>): WriteUpStores {
  const resolved: WriteUpStores = {};
  const why: NonNullable<WriteUpStores['why']> = {};
  for (const design of ['memory', 'file'] as const) {
    const { name, reach, words } = DESIGNS[design];
    const named = target.claimStores?.[design];
    if (named !== undefined) {
      resolved[design] = named;
      continue;
    }
    if (name in target.stores) {
      resolved[design] = name;
      continue;
    }
    const ofReach = Object.entries(target.stores).filter(([, profile]) => profile.reach === reach).map(([store]) => store);
    if (ofReach.length === 1) resolved[design] = ofReach[0];
    else
      why[design] = ofReach.length
        ? `the target has several stores of reach "${reach}" (${ofReach.join(', ')}) and names none as the write-up's ${design} design (${words}): set claimStores.${design} in the target file`
        : `the target has no store of reach "${reach}" for the write-up's ${design} design (${words})`;
  }
  return { ...resolved, ...(Object.keys(why).length ? { why } : {}) };
}

/** The write-up's own names, for a document from before the write-up's stores were recorded. */
export const WRITE_UP_NAMES: WriteUpStores = { memory: DESIGNS.memory.name, file: DESIGNS.file.name };

/** A claim about a design the target has no store for: unknown, saying why. */
export function claimWithoutStore(id: string, claim: string, why: string | undefined, quick: boolean): ClaimRow {
  return { id, claim, measured: "the write-up's file design, on this target", figure: '–', samples: '0', verdict: 'unknown', conditions: why ?? 'no store of that design', command: 'npm run repro', quick };
}
