import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyseStates, describeEntropy, BASE64URL_ALPHABET, chiSquareSurvival, judgeEntropy, MIN_P_VALUE } from './state-entropy.ts';

/** A fixed sample: 2,000 states of 32 bytes each from SHA-256 in counter mode, so the figures never move. */
function fixedSample(count: number, seed = 'fixed-sample'): string[] {
  return Array.from({ length: count }, (_, i) => createHash('sha256').update(`${seed}:${i}`).digest('base64url'));
}

describe('analyseStates on a fixed sample of 2,000 32-byte base64url states', () => {
  const entropy = analyseStates(fixedSample(2000));

  it('counts every state unique, 43 characters of base64url decoding to 32 bytes', () => {
    expect(entropy).toMatchObject({ draws: 2000, unique: 2000, repeated: [], length: { min: 43, max: 43 }, decodedBytes: 32 });
    expect(entropy.alphabet).toEqual({ size: 64, base64url: true, urlSafe: true, outside: '' });
  });

  it('estimates close to 256 bits (252 in 42 full characters + 4 in the last)', () => {
    expect(entropy.bitsPerChar).toBeGreaterThan(5.99);
    expect(entropy.estimatedBits).toBeGreaterThan(250);
    expect(entropy.estimatedBits).toBeLessThanOrEqual(256);
  });

  it('finds the characters uniform (χ² over 64 symbols, and 16 for the last character)', () => {
    expect(entropy.chiSquare).toMatchObject({ df: 63, samples: 2000 * 42 });
    expect(entropy.chiSquare!.pValue).toBeGreaterThan(0.001);
    expect(entropy.lastCharChiSquare).toMatchObject({ df: 15, samples: 2000 });
    expect(entropy.lastCharChiSquare!.pValue).toBeGreaterThan(0.001);
    expect(judgeEntropy(entropy)).toEqual({ ok: true, problems: [] });
  });

  it('finds no position that is the same in every draw', () => {
    expect(entropy.constantPositions).toBe(0);
  });
});

describe("a format's header, and fixed bytes among the random ones, found whatever the number of draws", () => {
  // The sealed state's shape: version 0x01, then random bytes (258 characters in all), so its first character
  // never varies: a header, the format's, not a weakness of the random part that follows.
  const envelope = (count: number, fixedInside = false) =>
    Array.from({ length: count }, (_, i) => {
      const random = Buffer.concat(Array.from({ length: 6 }, (_, k) => createHash('sha256').update(`envelope:${i}:${k}`).digest()));
      // A planted flaw: three bytes in the middle of the random part that never change.
      if (fixedInside) random.fill(0x41, 90, 93);
      return Buffer.concat([Buffer.from([0x01]), random]).toString('base64url');
    });

  it("a leading header is the format's: reported, left out of the tests, and the random part after it passes (45 draws and 2,000)", () => {
    for (const draws of [45, 2000]) {
      const e = analyseStates(envelope(draws));
      expect(e.length).toEqual({ min: 258, max: 258 });
      expect(e).toMatchObject({ headerPositions: 1, constantPositions: 0 });
      expect(judgeEntropy(e)).toEqual({ ok: true, problems: [] });
      expect(describeEntropy(e)).toContain('a 1-character header the same in every draw');
    }
  });

  it('fixed bytes inside the random part fail, with 45 draws as with 2,000 (the χ² alone would pass with 45)', () => {
    for (const draws of [45, 2000]) {
      const e = analyseStates(envelope(draws, true));
      expect(e.constantPositions).toBeGreaterThanOrEqual(3);
      expect(judgeEntropy(e).problems).toContain(`${e.constantPositions} positions the same in all ${draws} draws (fixed bytes among the random ones)`);
    }
    expect(analyseStates(envelope(45, true)).chiSquare!.pValue).toBeGreaterThan(0.001);
  });

  it('is not judged below 20 draws (with 2 draws, some one of 43 random positions repeats in about half of all samples)', () => {
    expect(analyseStates(envelope(19)).constantPositions).toBeUndefined();
  });
});

describe('judgeEntropy on bad generators', () => {
  it('fails repeated states', () => {
    const sample = fixedSample(500);
    const e = analyseStates([...sample, ...sample.slice(0, 3)]);
    expect(e.unique).toBe(500);
    expect(e.repeated).toHaveLength(3);
    expect(judgeEntropy(e).problems).toContain('3 repeated states');
  });

  it('fails a short state (a timestamp-like 13 digits)', () => {
    const e = analyseStates(Array.from({ length: 1000 }, (_, i) => String(1_764_000_000_000 + i * 7919)));
    const verdict = judgeEntropy(e);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join(' ')).toMatch(/bits < 128/);
  });

  it('fails a biased alphabet (hex written as if it were base64url)', () => {
    const e = analyseStates(fixedSample(1000).map((s) => Buffer.from(s, 'base64url').toString('hex').slice(0, 43)));
    expect(e.alphabet.base64url).toBe(true);
    expect(e.chiSquare!.pValue).toBeLessThan(MIN_P_VALUE);
    expect(judgeEntropy(e).ok).toBe(false);
  });

  it('fails characters a URL would have to encode', () => {
    const e = analyseStates(fixedSample(100).map((s) => `${s.slice(0, 40)}+/=`));
    expect(judgeEntropy(e).problems.join(' ')).toMatch(/URL would have to encode: "\+\/="/);
  });
});

describe('chiSquareSurvival', () => {
  it('matches tabulated values of χ²(63) and χ²(15)', () => {
    // Tables: P(χ²(63) ≥ 82.53) = 0.05, P(χ²(63) ≥ 62.33) = 0.5, P(χ²(15) ≥ 30.58) = 0.01.
    expect(chiSquareSurvival(82.53, 63)).toBeCloseTo(0.05, 2);
    expect(chiSquareSurvival(62.33, 63)).toBeCloseTo(0.5, 2);
    expect(chiSquareSurvival(30.58, 15)).toBeCloseTo(0.01, 2);
    expect(chiSquareSurvival(Infinity, 63)).toBe(0);
  });

  it('uses the base64url alphabet of RFC 4648 §5', () => {
    expect(BASE64URL_ALPHABET).toHaveLength(64);
    expect(Buffer.from(BASE64URL_ALPHABET, 'base64url').toString('base64url')).toBe(BASE64URL_ALPHABET);
  });
});
