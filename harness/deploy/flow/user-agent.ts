/**
 * Plays the user's browser: follows the authorize URL hop by hop (no
 * automatic redirects, so each hop is seen and recorded), keeps cookies per
 * host, and stops at the redirect back to the callback or at a final page.
 */
import { isLoopback } from './provider-hosts.ts';
export interface Hop {
  method: string;
  url: string;
  status: number;
  location?: string;
  durationMs: number;
}

export interface Page {
  url: string;
  status: number;
  body: string;
  contentType: string;
}

export class UserAgent {
  private readonly cookies = new Map<string, Map<string, string>>();

  constructor(private readonly timeoutMs = 15_000) {}

  /**
   * Follows redirects from startUrl until a non-redirect answer, or until the
   * next hop would go where stopBefore says (the callback, say): then the
   * page is undefined and `next` holds that URL.
   */
  async follow(
    startUrl: string,
    options: { stopBefore?: (url: URL) => boolean; maxHops?: number } = {},
  ): Promise<{ hops: Hop[]; page?: Page; next?: string }> {
    const maxHops = options.maxHops ?? 10;
    const hops: Hop[] = [];
    let url = startUrl;
    for (let hop = 0; hop < maxHops; hop++) {
      // No run ever reaches a real host: the mock and the target both listen on loopback.
      if (!isLoopback(new URL(url))) throw new Error(`user agent: refusing to visit ${new URL(url).host}: only loopback (the mock and the target) may be visited`);
      const started = performance.now();
      const response = await fetch(url, {
        redirect: 'manual',
        headers: this.cookieHeader(url),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      this.keepCookies(url, response.headers);
      const location = response.headers.get('location') ?? undefined;
      const body = await response.text();
      hops.push({ method: 'GET', url, status: response.status, location, durationMs: performance.now() - started });
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, url);
        if (options.stopBefore?.(next)) return { hops, next: next.toString() };
        url = next.toString();
        continue;
      }
      return { hops, page: { url, status: response.status, body, contentType: response.headers.get('content-type') ?? '' } };
    }
    throw new Error(`user agent: more than ${maxHops} redirects from ${new URL(startUrl).origin}`);
  }

  cookieCount(): number {
    let count = 0;
    for (const jar of this.cookies.values()) count += jar.size;
    return count;
  }

  private cookieHeader(url: string): Record<string, string> {
    const jar = this.cookies.get(new URL(url).host);
    if (!jar || jar.size === 0) return {};
    return { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  private keepCookies(url: string, headers: Headers): void {
    const host = new URL(url).host;
    for (const setCookie of headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      const separator = pair?.indexOf('=') ?? -1;
      if (!pair || separator <= 0) continue;
      const jar = this.cookies.get(host) ?? new Map<string, string>();
      jar.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
      this.cookies.set(host, jar);
    }
  }
}
