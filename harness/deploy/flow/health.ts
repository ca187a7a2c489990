/** The target's health endpoint, when it has one: a process that still answers is alive. */

export const HEALTH_PATH = '/health';

export async function health(base: string): Promise<boolean | 'no-endpoint'> {
  try {
    const response = await fetch(new URL(HEALTH_PATH, base), { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    if (response.status === 404) return 'no-endpoint';
    return response.ok;
  } catch {
    return false;
  }
}
