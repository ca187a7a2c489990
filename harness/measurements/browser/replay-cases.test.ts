import { describe, expect, test } from 'vitest';
import { loadHostileCases } from '../hostile-input/hostile-cases.ts';
import { markerCases, replayableCases } from './replay-cases.ts';

describe('which hostile cases a browser replays', () => {
  const { replay, notReplayed } = replayableCases(loadHostileCases(), '/callback');
  test("the cases' callback path becomes the target's, and placeholders are filled", () => {
    const script = replay.find((c) => c.id === '400-provider-error/error-description-img-onerror');
    expect(script?.pathAndQuery).toBe('/callback?error=access_denied&error_description=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
    expect(replay.every((c) => !/\{(forged|live|repeat)/.test(c.pathAndQuery))).toBe(true);
  });
  test('every case is either replayed or left out with a reason', () => {
    expect(replay.length + notReplayed.length).toBe(loadHostileCases().length);
    expect(notReplayed.every((c) => c.why.length > 0)).toBe(true);
  });
  test('raw bytes, other methods, other hosts and store-only cases are left out', () => {
    const why = (id: string) => notReplayed.find((c) => c.id.endsWith(`/${id}`))?.why;
    expect(why('state-raw-utf8-bytes')).toMatch(/raw bytes/);
    expect(why('absolute-form-target')).toMatch(/another host/);
    expect(why('state-from-another-users-flow')).toMatch(/store question/);
  });
});

test('marker payloads sit in error_description, error, state and code, each naming itself', () => {
  const cases = markerCases('/oauth/callback');
  expect(cases.map((c) => new URL(c.pathAndQuery, 'http://x').searchParams.get('error_description') ?? '').join('')).toContain("__oauthReproMarker='error-description-script'");
  for (const c of cases) expect(decodeURIComponent(c.pathAndQuery.replace(/\+/g, ' '))).toContain(c.id.replace('marker/', ''));
});
