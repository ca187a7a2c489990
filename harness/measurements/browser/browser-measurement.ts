/**
 * A real Chromium in the loop: runs on any target, with a mock of
 * its own (the provider shows its consent page here). Without the chromium
 * package it does not apply, and says so.
 */
import { defineMeasurement } from '../measurement.ts';
import { browserRows } from './browser-rows.ts';
import { measureBrowser, type BrowserResult } from './measure-browser.ts';

declare module '../published-values.ts' {
  interface PublishedValues {
    /** The flows Chromium played and the pages it read, for the report's browser section and its screenshots. */
    browser: BrowserResult;
  }
}

export const browserMeasurement = defineMeasurement({
  id: 'browser',
  needs: ['chromium'],
  ownMock: true,
  run: (ctx) => measureBrowser(ctx),
  check: (recorded: BrowserResult) => ({ rows: browserRows(recorded, recorded.stores), published: { browser: recorded } }),
});
