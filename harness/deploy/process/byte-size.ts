/**
 * How the harness writes an amount of output in a message: binary units (the
 * log cap is a power of two) and counts with thousands separators, so that
 * "400,000 lines (49.2 MiB)" reads at a glance.
 */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
