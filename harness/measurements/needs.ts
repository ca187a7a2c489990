/**
 * What a measurement needs of a target (or of this machine) to apply. The
 * runner decides n/a from these in one place (`unmetNeed`), before anything
 * runs, and the reason it gives is the one the report shows: no measurement
 * words its own n/a.
 */
import { chromiumMissing } from '../deploy/browser/chromium.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';

export type Need =
  /** The target file names a module with its session stores (`storeModule`), so the store can be driven directly. */
  | 'store-module'
  /** A tool that shows who the tool process is signed in as (`tokenTool`). */
  | 'token-tool'
  /** A tool that names the store in use (`statusTool`). */
  | 'status-tool'
  /** The target's processes run on Node, so the harness can preload code into them (virtual clock, write gate). */
  | 'node-runtime'
  /** Debian's chromium on this machine. */
  | 'chromium'
  /** The target file describes a remote server (`remote`): replicas of it can run behind a balancer. */
  | 'remote-server';

/** Why a need is not met by this target on this machine; undefined when it is. */
const CHECKS: Record<Need, (target: TargetDescription) => string | undefined> = {
  'store-module': (target) =>
    target.storeModule ? undefined : 'needs a store module: the target file gives none (storeModule), so the store cannot be driven directly',
  'token-tool': (target) => (target.tokenTool ? undefined : 'needs a token tool: the target file gives none (tokenTool), so who the tool process is signed in as cannot be seen'),
  'status-tool': (target) => (target.statusTool ? undefined : 'needs a status tool: the target file gives none (statusTool) that names its store'),
  'node-runtime': (target) =>
    target.runtime === 'node' ? undefined : `needs a Node target: the harness preloads code into the processes, and ${target.name} runs on another runtime`,
  chromium: () => chromiumMissing(),
  'remote-server': (target) => (target.remote ? undefined : 'needs a remote server: the target file describes none (remote)'),
};

/** The first need the target (or this machine) does not meet, as the reason to show; undefined: every need is met. */
export function unmetNeed(needs: readonly Need[] | undefined, target: TargetDescription): string | undefined {
  for (const need of needs ?? []) {
    const why = CHECKS[need](target);
    if (why) return why;
  }
  return undefined;
}
