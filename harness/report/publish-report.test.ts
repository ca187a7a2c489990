import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { removeFolder } from '../core/remove-folder.mjs';
import { publishReport } from './publish-report.ts';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => removeFolder(dir)));

/** A project root with a published report (REPORT.md, charts/old.svg) and a run folder with a new chart. */
function project(): { root: string; runDir: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oauth-state-repro-publish-'));
  made.push(root);
  mkdirSync(path.join(root, 'report', 'charts'), { recursive: true });
  writeFileSync(path.join(root, 'REPORT.md'), '# old report\n');
  writeFileSync(path.join(root, 'report', 'charts', 'old.svg'), '<svg>old</svg>');
  const runDir = path.join(root, 'runs', 'r1');
  mkdirSync(path.join(runDir, 'charts'), { recursive: true });
  writeFileSync(path.join(runDir, 'charts', 'new.svg'), '<svg>new</svg>');
  return { root, runDir };
}

describe('publishReport', () => {
  it('replaces REPORT.md and the folders it owns whole, and leaves no staging behind', async () => {
    const { root, runDir } = project();
    await publishReport({ projectRoot: root, base: 'report/', files: [{ from: path.join(runDir, 'charts', 'new.svg'), to: 'charts/new.svg' }, { from: path.join(runDir, 'browser', 'absent.png'), to: 'browser/absent.png' }], markdown: '# new report\n' });
    expect(readFileSync(path.join(root, 'REPORT.md'), 'utf8')).toBe('# new report\n');
    expect(readdirSync(path.join(root, 'report', 'charts'))).toEqual(['new.svg']);
    expect(readdirSync(path.join(root, 'report'))).toEqual(['charts']);
  });

  it('killed while it writes REPORT.md, it leaves the previous one whole, never a part', async () => {
    const { root, runDir } = project();
    const fixture = fileURLToPath(new URL('./test-fixtures/publish-big-report.ts', import.meta.url));
    const child = execa(process.execPath, ['--import', 'tsx', fixture, root, runDir], { reject: false, buffer: false });
    // Kill it once the new REPORT.md is being written aside (a temp file beside it), i.e. mid-write.
    const deadline = Date.now() + 60_000;
    let sawTemp = false;
    while (Date.now() < deadline && child.exitCode === null) {
      if (readdirSync(root).some((name) => name.startsWith('REPORT.md.'))) {
        sawTemp = true;
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    child.kill('SIGKILL');
    await child;
    expect(sawTemp).toBe(true);
    const report = readFileSync(path.join(root, 'REPORT.md'), 'utf8');
    expect(report).toBe('# old report\n');
    // The charts were swapped before REPORT.md: the folder is one whole set, never empty.
    expect(readdirSync(path.join(root, 'report', 'charts'))).toEqual(['new.svg']);
    expect(statSync(path.join(root, 'REPORT.md')).size).toBeGreaterThan(0);
    // The next publish clears what the killed one left.
    await publishReport({ projectRoot: root, base: 'report/', files: [], markdown: '# third\n' });
    expect(readdirSync(path.join(root, 'report')).filter((n) => n.startsWith('.publishing-'))).toEqual([]);
    expect(existsSync(path.join(root, 'report', 'charts'))).toBe(false);
  }, 90_000);
});
