/**
 * A real Chromium in the loop: runs on any target, with a mock of
 * its own (the provider shows its consent page here). Without the chromium
 * package its rows are one "chromium not installed" line.
 */
import type { Measurement } from '../measurement.ts';
import { browserRows } from './browser-rows.ts';
import { measureBrowser, type BrowserResult } from './measure-browser.ts';

export const browserMeasurement: Measurement<BrowserResult> = {
  id: 'browser',
  ownMock: true,
  run: (ctx) => measureBrowser(ctx),
  reliability: (raw) => browserRows(raw, raw.stores),
};
