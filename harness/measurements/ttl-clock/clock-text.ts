/** Spans of virtual time as the TTL figures write them: "14:59", "15 min", "1 day", "+2 min". */

const DAY = 86_400_000;
const HOUR = 3_600_000;

export function minutes(ms: number): string {
  if (Math.abs(ms) >= DAY && ms % DAY === 0) return `${ms / DAY} day${Math.abs(ms) === DAY ? '' : 's'}`;
  if (Math.abs(ms) >= HOUR && ms % HOUR === 0) return `${ms / HOUR} h`;
  const total = Math.round(ms / 1000);
  const sign = total < 0 ? '−' : '';
  const abs = Math.abs(total);
  const m = Math.floor(abs / 60);
  const s = abs % 60;
  return s === 0 ? `${sign}${m} min` : `${sign}${m}:${String(s).padStart(2, '0')}`;
}

/** A skew with its sign: "+2 min", "−2 min". */
export const signed = (ms: number): string => (ms > 0 ? `+${minutes(ms)}` : minutes(ms));
