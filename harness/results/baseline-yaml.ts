/**
 * A verdict baseline as the YAML file a reviewer reads in a diff: one line
 * per verdict (`store: outcome`), and an accepted failure as
 * `{ outcome, why }`. Read back strictly: a malformed file is a clear error
 * naming where, never an empty baseline.
 */
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { BASELINE_VERSION, type BaselineOutcome, type VerdictBaseline } from './verdict-baseline.ts';

const outcome = z.union([z.string().min(1), z.object({ outcome: z.string().min(1), why: z.string().min(1).optional() }).strict()]);
const schema = z
  .object({
    version: z.literal(BASELINE_VERSION),
    target: z.string(),
    run: z.enum(['quick', 'bench']),
    claims: z.record(z.string(), outcome).default({}),
    scenarios: z.record(z.string(), z.record(z.string(), outcome)).default({}),
    rows: z.record(z.string(), z.record(z.string(), z.record(z.string(), outcome))).default({}),
    grades: z.record(z.string(), z.record(z.string(), outcome)).default({}),
    recommendations: z.record(z.string(), outcome).default({}),
  })
  .strict();

const HEADER = [
  'Verdict baseline of oauth-state-repro: every verdict the battery reached for this target.',
  'The gate (npm run repro) fails on any difference from it, better or worse, and names each one.',
  'Rewrite it from a run with `npm run repro -- --update-baseline`; the diff is what a reviewer reads.',
  'An accepted failure is written { outcome, why }: its reason stays as long as its outcome does.',
];

type Loose = string | { outcome: string; why?: string };
const tight = (value: Loose): BaselineOutcome => (typeof value === 'string' ? { outcome: value } : value);
const loose = (value: BaselineOutcome): Loose => (value.why ? { outcome: value.outcome, why: value.why } : value.outcome);
const mapValues = <T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })).map(([key, value]) => [key, f(value)]));

export function baselineToYaml(baseline: VerdictBaseline): string {
  const body = {
    version: baseline.version,
    target: baseline.target,
    run: baseline.run,
    claims: mapValues(baseline.claims, loose),
    scenarios: mapValues(baseline.scenarios, (stores) => mapValues(stores, loose)),
    rows: mapValues(baseline.rows, (rows) => mapValues(rows, (stores) => mapValues(stores, loose))),
    grades: mapValues(baseline.grades, (columns) => mapValues(columns, loose)),
    recommendations: mapValues(baseline.recommendations, loose),
  };
  return `${HEADER.map((line) => `# ${line}`).join('\n')}\n${stringify(body, { lineWidth: 0 })}`;
}

export class BaselineFileError extends Error {}

export function baselineFromYaml(text: string, file: string): VerdictBaseline {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new BaselineFileError(`${file}: not YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BaselineFileError(`${file}: ${issue.path.join('.') || '(the file)'}: ${issue.message}`);
  }
  const b = parsed.data;
  return {
    version: b.version,
    target: b.target,
    run: b.run,
    claims: mapValues(b.claims, tight),
    scenarios: mapValues(b.scenarios, (stores) => mapValues(stores, tight)),
    rows: mapValues(b.rows, (rows) => mapValues(rows, (stores) => mapValues(stores, tight))),
    grades: mapValues(b.grades, (columns) => mapValues(columns, tight)),
    recommendations: mapValues(b.recommendations, tight),
  };
}
