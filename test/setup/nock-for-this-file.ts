/**
 * nock's interceptors on for the test file that calls this, off again after
 * it. Test files share a worker process (vitest isolate: false) and
 * importing nock patches http and fetch for the whole process: left on, a
 * later file's real requests (the end-to-end tests' user agent against the
 * mock) would pass through nock's interceptor.
 */
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';

export function nockForThisFile(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
  });
  afterAll(() => {
    nock.cleanAll();
    nock.restore();
  });
}
