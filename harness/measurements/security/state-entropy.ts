/**
 * How unpredictable are the OAuth states a target issues? A pure function of
 * a sample of states: uniqueness, length and alphabet, an entropy estimate
 * and a chi-square test of the characters against a uniform base64url
 * alphabet. What a sample can show is limited: N draws can reveal a bias or a
 * repeat, never prove 256 bits; the estimate says how many bits the observed
 * character distribution supports per position, summed over positions.
 */

export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** RFC 3986 unreserved: what a state may hold and still travel through a URL untouched. */
const URL_UNRESERVED = /^[A-Za-z0-9._~-]$/;

/** RFC 6749 §10.10: a guess must succeed with probability at most 2^-128 (and should at most 2^-160). */
export const MIN_STATE_BITS = 128;
/**
 * Below this p-value the character distribution is called non-uniform. A
 * run judges a dozen samples (two tests each): at 0.001 a sound generator
 * failed a run about once in forty, and the verdict baseline fails on any
 * difference. A real bias lands far below 10^-6 (a hex state read as
 * base64url: p ≈ 0); chance alone lands there about once in a million.
 */
export const MIN_P_VALUE = 1e-6;

export interface ChiSquare {
  statistic: number;
  df: number;
  pValue: number;
  /** How many characters went into it. */
  samples: number;
}

export interface StateEntropy {
  draws: number;
  unique: number;
  /** States drawn more than once, with their counts (at most 5 shown). */
  repeated: { value: string; count: number }[];
  length: { min: number; max: number };
  /** outside: characters seen that are not base64url; urlSafe: all are RFC 3986 unreserved. */
  alphabet: { size: number; base64url: boolean; urlSafe: boolean; outside: string };
  /** Bytes a base64url state of the common length decodes to (32 for the write-up's state). */
  decodedBytes?: number;
  /** Shannon entropy of all characters pooled, bits per character. */
  bitsPerChar: number;
  /** Σ over positions of the per-position Shannon entropy (Miller–Madow corrected), bits. */
  estimatedBits: number;
  /** Characters in positions that carry 6 full bits, against 64 equally likely symbols. */
  chiSquare?: ChiSquare;
  /** The last character of a 32-byte base64url value carries 4 bits: 16 equally likely symbols. */
  lastCharChiSquare?: ChiSquare;
  /**
   * Positions whose character was the same in every draw after the first
   * one that varied, counted from CONSTANT_POSITION_MIN_DRAWS draws on (a
   * random base64url position repeats one symbol 20 times with probability
   * 64^-19): fixed bytes among the random ones. Unlike the χ² tests, a fixed
   * byte is found the same way with 50 draws or 5,000, so the verdict does
   * not depend on how many draws the machine managed in its time box.
   */
  constantPositions?: number;
  /**
   * Leading positions the same in every draw: a format's header (a version
   * byte before the random part), not a weakness of its randomness. The
   * entropy and the χ² tests are then about the positions after it.
   */
  headerPositions?: number;
}

export const CONSTANT_POSITION_MIN_DRAWS = 20;

export function analyseStates(states: readonly string[]): StateEntropy {
  const draws = states.length;
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  const repeated = [...counts]
    .filter(([, count]) => count > 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([value, count]) => ({ value: value.slice(0, 16), count }));

  let min = Infinity;
  let max = 0;
  const pooled = new Map<string, number>();
  let totalChars = 0;
  for (const state of states) {
    min = Math.min(min, state.length);
    max = Math.max(max, state.length);
    for (const ch of state) {
      pooled.set(ch, (pooled.get(ch) ?? 0) + 1);
      totalChars += 1;
    }
  }
  const outside = [...pooled.keys()].filter((ch) => !BASE64URL_ALPHABET.includes(ch)).sort().join('');
  const base64url = draws > 0 && outside === '';

  const positions = draws > 0 ? min : 0;
  let estimatedBits = 0;
  let constantPositions = 0;
  let headerPositions = 0;
  let varied = false;
  for (let i = 0; i < positions; i++) {
    const column = new Map<string, number>();
    for (const state of states) {
      const ch = state[i]!;
      column.set(ch, (column.get(ch) ?? 0) + 1);
    }
    estimatedBits += millerMadowBits([...column.values()], draws);
    if (column.size > 1) varied = true;
    else if (varied) constantPositions += 1;
    else headerPositions += 1;
  }

  const result: StateEntropy = {
    draws,
    unique: counts.size,
    repeated,
    length: { min: draws > 0 ? min : 0, max },
    alphabet: { size: pooled.size, base64url, urlSafe: draws > 0 && [...pooled.keys()].every((ch) => URL_UNRESERVED.test(ch)), outside },
    bitsPerChar: shannonBits([...pooled.values()], totalChars),
    estimatedBits: round(estimatedBits, 1),
    ...(draws >= CONSTANT_POSITION_MIN_DRAWS ? { constantPositions, headerPositions } : {}),
  };
  // A header's characters are the format's, not the generator's: the uniformity test starts after it.
  const header = draws >= CONSTANT_POSITION_MIN_DRAWS ? headerPositions : 0;

  if (base64url && min === max && draws > 0) {
    const bytes = Math.floor((min * 6) / 8);
    const fullPositions = Math.floor((bytes * 8) / 6);
    result.decodedBytes = bytes;
    result.chiSquare = chiSquareUniform(states, Math.min(header + (header > 0 ? 1 : 0), fullPositions), fullPositions, BASE64URL_ALPHABET);
    const spareBits = bytes * 8 - fullPositions * 6;
    if (spareBits > 0 && min === fullPositions + 1) {
      // The last character's low bits are zero: only 2^spareBits symbols can occur.
      const symbols = [...BASE64URL_ALPHABET].filter((_, index) => index % (1 << (6 - spareBits)) === 0).join('');
      result.lastCharChiSquare = chiSquareUniform(states, fullPositions, fullPositions + 1, symbols);
    }
  }
  return result;
}

export interface EntropyVerdict {
  ok: boolean;
  problems: string[];
}

export function judgeEntropy(entropy: StateEntropy): EntropyVerdict {
  const problems: string[] = [];
  if (entropy.draws === 0) return { ok: false, problems: ['no states drawn'] };
  if (entropy.unique !== entropy.draws) problems.push(`${entropy.draws - entropy.unique} repeated states`);
  if (!entropy.alphabet.urlSafe) problems.push(`characters a URL would have to encode: ${JSON.stringify(entropy.alphabet.outside)}`);
  if (entropy.estimatedBits < MIN_STATE_BITS) problems.push(`≈${entropy.estimatedBits} bits < ${MIN_STATE_BITS}`);
  if (entropy.constantPositions) problems.push(`${entropy.constantPositions} position${entropy.constantPositions === 1 ? '' : 's'} the same in all ${entropy.draws} draws (fixed bytes among the random ones)`);
  if (entropy.chiSquare && entropy.chiSquare.pValue < MIN_P_VALUE) problems.push(`characters not uniform (χ² p=${entropy.chiSquare.pValue.toExponential(2)})`);
  if (entropy.lastCharChiSquare && entropy.lastCharChiSquare.pValue < MIN_P_VALUE) problems.push(`last character not uniform (χ² p=${entropy.lastCharChiSquare.pValue.toExponential(2)})`);
  return { ok: problems.length === 0, problems };
}

export function describeEntropy(e: StateEntropy): string {
  const chi = e.chiSquare ? `; χ²=${e.chiSquare.statistic.toFixed(1)} (df ${e.chiSquare.df}, p=${e.chiSquare.pValue.toFixed(3)})` : '';
  const last = e.lastCharChiSquare ? `, last char χ² p=${e.lastCharChiSquare.pValue.toFixed(3)}` : '';
  const length = e.length.min === e.length.max ? `${e.length.min} chars` : `${e.length.min}–${e.length.max} chars`;
  const bytes = e.decodedBytes !== undefined ? ` (${e.decodedBytes} bytes)` : '';
  const header = e.headerPositions ? `, a ${e.headerPositions}-character header the same in every draw (the format's, left out of the tests)` : '';
  return `${e.unique.toLocaleString('en-US')}/${e.draws.toLocaleString('en-US')} unique; ${length}${bytes}${header}, ${e.alphabet.base64url ? 'base64url' : `${e.alphabet.urlSafe ? 'URL-safe, ' : ''}not base64url (also ${JSON.stringify(e.alphabet.outside)})`} (${e.alphabet.size} symbols seen); ${e.bitsPerChar.toFixed(3)} bits/char pooled; ≈${e.estimatedBits} bits summed per position${chi}${last}`;
}

function shannonBits(counts: readonly number[], total: number): number {
  if (total === 0) return 0;
  let bits = 0;
  for (const count of counts) {
    const p = count / total;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Shannon entropy with the Miller–Madow bias correction ((K−1)/2N nats), capped at log2(K). */
function millerMadowBits(counts: readonly number[], total: number): number {
  const k = counts.length;
  if (k <= 1 || total === 0) return 0;
  const corrected = shannonBits(counts, total) + (k - 1) / (2 * total * Math.LN2);
  return Math.min(corrected, Math.log2(k));
}

function chiSquareUniform(states: readonly string[], from: number, to: number, symbols: string): ChiSquare {
  const counts = new Map<string, number>([...symbols].map((s) => [s, 0]));
  let samples = 0;
  let stray = 0;
  for (const state of states) {
    for (let i = from; i < to; i++) {
      const ch = state[i]!;
      if (counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
      else stray += 1;
      samples += 1;
    }
  }
  const expected = samples / symbols.length;
  let statistic = 0;
  for (const count of counts.values()) statistic += (count - expected) ** 2 / expected;
  // A symbol that cannot occur at all is as far from uniform as it gets.
  if (stray > 0) statistic = Infinity;
  const df = symbols.length - 1;
  return { statistic: round(statistic, 2), df, pValue: chiSquareSurvival(statistic, df), samples };
}

/** P(X ≥ x) for X ~ χ²(df), by the Wilson–Hilferty normal approximation (good for df ≥ 10). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!Number.isFinite(x)) return 0;
  if (x <= 0) return 1;
  const z = (Math.cbrt(x / df) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
  return 1 - normalCdf(z);
}

function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return sign * y;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
