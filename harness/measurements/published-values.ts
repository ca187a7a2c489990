/**
 * The values measurements publish for grading and the report, by name and
 * type. This interface starts empty: each measurement's folder adds the
 * values it publishes by module augmentation, next to the code that computes
 * them, e.g.
 *
 *   declare module '../published-values.ts' {
 *     interface PublishedValues { 'store-latency': StoreLatencyResult }
 *   }
 *
 * Grading, the report and the engine read a measurement only through
 * `publishedValue`, never its recorded data: what a measurement recorded is
 * its own business, what it publishes is a contract with a type.
 */

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PublishedValues {}

export type PublishedKey = keyof PublishedValues;
export type Published = { [K in PublishedKey]?: PublishedValues[K] };

/** The value published under `key` by a measurement of this run that completed; undefined when none did. */
export function publishedValue<K extends PublishedKey>(records: readonly { published?: Published; error?: string; notApplicable?: string }[], key: K): PublishedValues[K] | undefined {
  for (const record of records) {
    if (record.error || record.notApplicable) continue;
    const value = record.published?.[key];
    if (value !== undefined) return value as PublishedValues[K];
  }
  return undefined;
}
