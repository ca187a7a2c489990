/**
 * One browser tab in a fresh context (its own cookies), watched: every
 * navigation hop, every request a page makes with its Referer, every dialog
 * and console message, and a marker a hostile payload may set
 * (`window.__oauthReproMarker`). Hosts other than loopback are never reached:
 * such requests are refused and listed (the mock and the target are the only
 * sites a run visits).
 *
 * A flow is two calls, so a history can record them as two operations:
 * `authorize` (authorize URL → consent page → Accept, until the browser
 * sends the callback request) and `callbackPage` (that request's answer,
 * loaded and rendered). The browser does not pause between the two: the
 * callback request is already on its way when `authorize` returns.
 */
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { isLoopback } from '../flow/provider-hosts.ts';
import type { Hop } from '../flow/user-agent.ts';

export const MARKER_GLOBAL = '__oauthReproMarker';
/** A console line a payload may print instead of setting the marker. */
export const MARKER_CONSOLE = 'oauth-repro-marker';

export interface Subresource {
  url: string;
  resourceType: string;
  referer?: string;
}

export interface BrowserPage {
  url: string;
  status: number;
  contentType: string;
  body: string;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** Requests the page made for itself (images, scripts, frames…) after its document arrived. */
  subresources: Subresource[];
  /** Requests to hosts other than loopback, refused. */
  refused: string[];
  dialogs: { type: string; message: string }[];
  console: string[];
  /** What a payload wrote to window.__oauthReproMarker, if anything ran. */
  marker?: string;
  screenshot?: Buffer;
}

export interface AuthorizeInBrowser {
  hops: Hop[];
  /** The callback URL the browser was sent to. */
  next: string;
  consentShown: boolean;
  consentScreenshot?: Buffer;
}

const NAVIGATION_TIMEOUT_MS = 15_000;

/** What a caller may follow of a tab as it goes. */
export interface TabWatch {
  /** Awaited before each navigation is let through: where a scenario acts at a point of the browser's walk. */
  beforeRequest?: (url: URL, method: string) => Promise<void>;
  /** Each navigation hop of the main frame, as its response arrives. */
  onNavigation?: (hop: Hop) => void;
}

export class BrowserTab {
  private readonly hops: Hop[] = [];
  private subresources: Promise<Subresource>[] = [];
  private refused: string[] = [];
  private dialogs: BrowserPage['dialogs'] = [];
  private consoleLines: string[] = [];
  private callbackRequest?: Request;
  /** The button clicked on the consent page, once clicked: known even when the walk then stops short of the callback. */
  consentClicked?: 'accept' | 'deny';
  private isCallback?: (url: URL) => boolean;
  private watch: TabWatch = {};
  /** Told of an error page the walk landed on before the callback: the walk has stopped there, as a person would. */
  private onErrorPage?: (hop: Hop) => void;

  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('dialog', (dialog) => {
      this.dialogs.push({ type: dialog.type(), message: dialog.message() });
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('console', (message) => this.consoleLines.push(message.text()));
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        if (this.isCallback?.(new URL(request.url())) && !this.callbackRequest) {
          // From here on, what is seen belongs to the callback page.
          this.resetObservations();
          this.callbackRequest = request;
        }
        return;
      }
      this.subresources.push(
        request.allHeaders().then(
          (headers) => ({ url: request.url(), resourceType: request.resourceType(), ...(headers.referer ? { referer: headers.referer } : {}) }),
          () => ({ url: request.url(), resourceType: request.resourceType() }),
        ),
      );
    });
    page.on('response', (response) => {
      const request = response.request();
      if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
      const location = response.headers().location;
      const timing = request.timing();
      const hop: Hop = {
        method: request.method(),
        url: response.url(),
        status: response.status(),
        ...(location ? { location: new URL(location, response.url()).toString() } : {}),
        durationMs: Math.max(0, timing.responseStart),
        headers: response.headers(),
      };
      this.hops.push(hop);
      this.watch.onNavigation?.(hop);
      if (hop.status >= 400 && request !== this.callbackRequest) this.onErrorPage?.(hop);
    });
  }

  static async open(browser: Browser, watch: TabWatch = {}): Promise<BrowserTab> {
    const context = await browser.newContext({ viewport: { width: 760, height: 420 }, deviceScaleFactor: 1, locale: 'en-US' });
    const tab = new BrowserTab(context, await context.newPage());
    tab.watch = watch;
    const { beforeRequest } = watch;
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      let allowed = false;
      try {
        const parsed = new URL(url);
        allowed = parsed.protocol === 'data:' || parsed.protocol === 'blob:' || isLoopback(parsed);
      } catch {
        allowed = false;
      }
      if (allowed) {
        // A hook that fails is its caller's to record; the request goes on either way, so the walk never hangs on it.
        if (beforeRequest && route.request().isNavigationRequest()) await beforeRequest(new URL(url), route.request().method()).catch(() => undefined);
        return route.continue();
      }
      tab.refused.push(url);
      return route.abort('blockedbyclient');
    });
    tab.page.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
    return tab;
  }

  /** Opens a URL as a user typing it would, and returns the page once loaded. */
  async visit(url: string, options: { screenshot?: boolean } = {}): Promise<BrowserPage> {
    this.resetObservations();
    // A reused tab (the replay's) keeps no hops of earlier visits.
    this.hops.length = 0;
    const response = await this.page.goto(url, { waitUntil: 'load' });
    if (!response) throw new Error(`browser: no response for ${url}`);
    return this.read(response, options);
  }

  /**
   * Authorize URL → the provider's consent page → Accept (or Deny), until
   * the browser is sent to the callback. Automatic consent (no page) works too.
   */
  async authorize(
    authUrl: string,
    isCallback: (url: URL) => boolean,
    options: { consent?: 'accept' | 'deny'; consentScreenshot?: boolean } = {},
  ): Promise<AuthorizeInBrowser> {
    this.isCallback = isCallback;
    const sentToCallback = new Promise<Request>((resolve) => {
      const check = (request: Request) => {
        if (request === this.callbackRequest) {
          this.page.off('request', check);
          resolve(request);
        }
      };
      this.page.on('request', check);
    });
    // A server's error page on the way (a proxy that lost its pending authorization, say) ends the walk at once,
    // rather than after the navigation timeout: nothing on such a page sends the browser on.
    const stoppedOnError = new Promise<never>((_, reject) => {
      this.onErrorPage = (hop) => {
        // Once the page has loaded: a caller reads its words next.
        void this.page
          .waitForURL((url) => url.href === hop.url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS })
          .catch(() => undefined)
          .then(() => reject(new Error(`the browser stopped on an error page before the callback: HTTP ${hop.status} at ${hop.url}`)));
      };
    });
    stoppedOnError.catch(() => undefined);
    const landed = await this.page.goto(authUrl, { waitUntil: 'load' });
    let consentShown = false;
    let consentScreenshot: Buffer | undefined;
    if (!this.callbackRequest) {
      const form = this.page.locator('form#consent');
      if ((await form.count()) === 0) {
        throw new Error(`authorize did not reach the callback: HTTP ${landed?.status() ?? '?'} at ${this.page.url()}`);
      }
      consentShown = true;
      if (options.consentScreenshot) consentScreenshot = await this.page.screenshot();
      this.consentClicked = options.consent === 'deny' ? 'deny' : 'accept';
      await this.page.click(`#${this.consentClicked}`);
    }
    let timer: NodeJS.Timeout | undefined;
    const request = await Promise.race([
      sentToCallback,
      stoppedOnError,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the browser was not sent to the callback within ${NAVIGATION_TIMEOUT_MS / 1000} s (at ${this.page.url()})`)),
          NAVIGATION_TIMEOUT_MS,
        );
      }),
    ]).finally(() => {
      clearTimeout(timer);
      this.onErrorPage = undefined;
    });
    return { hops: [...this.hops], next: request.url(), consentShown, ...(consentScreenshot ? { consentScreenshot } : {}) };
  }

  /** The callback page the last `authorize` sent the browser to, once loaded. */
  async callbackPage(options: { screenshot?: boolean } = {}): Promise<BrowserPage> {
    const request = this.callbackRequest;
    const isCallback = this.isCallback;
    if (!request || !isCallback) throw new Error('callbackPage() before authorize() reached the callback');
    const response = await request.response();
    if (!response) throw new Error(`browser: the callback request failed: ${request.failure()?.errorText ?? 'no response'}`);
    await this.page.waitForURL((url) => isCallback(url), { waitUntil: 'load' });
    return this.read(response, options);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }

  /** The text of the page the tab is on (a server's error page, say), tags left out. */
  async pageText(): Promise<string> {
    return this.page.innerText('body').catch(() => '');
  }

  private resetObservations(): void {
    this.subresources = [];
    this.refused = [];
    this.dialogs = [];
    this.consoleLines = [];
  }

  private async read(response: NonNullable<Awaited<ReturnType<Page['goto']>>>, options: { screenshot?: boolean }): Promise<BrowserPage> {
    const headers = await response.allHeaders();
    const body = await response.text().catch(() => '');
    const marker = await this.page.evaluate(`window.${MARKER_GLOBAL}`).catch(() => undefined);
    const screenshot = options.screenshot ? await this.page.screenshot() : undefined;
    return {
      url: response.url(),
      status: response.status(),
      contentType: headers['content-type'] ?? '',
      body,
      headers,
      subresources: await Promise.all(this.subresources),
      refused: [...this.refused],
      dialogs: [...this.dialogs],
      console: [...this.consoleLines],
      ...(marker !== undefined && marker !== null ? { marker: String(marker) } : {}),
      ...(screenshot ? { screenshot } : {}),
    };
  }
}
