/**
 * harness/deploy/browser/: a real headless Chromium playing the user's browser.
 *
 * Debian's `chromium` package driven by playwright-core through its
 * executable path: no browser download (this machine and CI have no network
 * but the npm and Debian registries). Without the package the browser rows
 * say so in one line and the run goes on (`chromiumMissing()`).
 *
 * No orphan: Playwright talks to Chromium over a pipe, and Chromium exits
 * when that pipe closes, so a harness killed with SIGKILL takes its browser
 * with it (checked by hand: `kill -9` of the harness leaves no chromium).
 */
import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Where Debian (and Ubuntu's deb, and most distributions) put it; OAUTH_REPRO_CHROMIUM overrides. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/**
 * Flags for a closed network and a root user: no sandbox (root), no GPU,
 * and none of the background connections (updates, sync, safe browsing)
 * that this machine's network would refuse many times over at every start.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

export function chromiumPath(): string | undefined {
  const override = process.env.OAUTH_REPRO_CHROMIUM;
  for (const candidate of override ? [override] : CANDIDATES) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next candidate
    }
  }
  return undefined;
}

/** One line for the report when there is no browser to run; undefined when there is one. */
export function chromiumMissing(): string | undefined {
  if (chromiumPath()) return undefined;
  const override = process.env.OAUTH_REPRO_CHROMIUM;
  return override
    ? `chromium not installed: OAUTH_REPRO_CHROMIUM=${override} is not an executable`
    : 'chromium not installed (apt-get install chromium): browser rows not run';
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(chromiumMissing());
  // Loaded here, not at the top: every harness start would otherwise pay for it (~0.6 s of CPU on this machine).
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: FLAGS, timeout: 30_000 });
}
