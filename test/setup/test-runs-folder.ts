/**
 * Tests write their run folders to a runs folder of their own, `test` inside
 * the runs root (runs/test, or $OAUTH_REPRO_RUNS_DIR/test): vitest.config.ts
 * points OAUTH_REPRO_RUNS_DIR of every test worker at it, so the user's
 * runs/ and its `latest` stay as the user's last run left them. As global
 * setup, this gives that folder the same retention as runs/, once per
 * `npm test`.
 */
import path from 'node:path';
import { DEFAULT_KEEP_RUNS } from '../../harness/cli/repro-options.ts';
import { runsRoot } from '../../harness/core/run-folder.ts';
import { pruneRunsRoot } from '../../harness/core/run-retention.ts';

export function testRunsRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.join(runsRoot(env), 'test');
}

export default function pruneTestRuns(): void {
  pruneRunsRoot(testRunsRoot(), DEFAULT_KEEP_RUNS);
}
