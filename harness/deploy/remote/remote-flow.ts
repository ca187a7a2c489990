/**
 * One whole MCP authorization flow against a remote (Streamable HTTP)
 * server, with the official SDK's client and its OAuth support, the user
 * agent playing the browser:
 *
 *   initialize → 401 + WWW-Authenticate → protected-resource metadata →
 *   authorization-server metadata → dynamic client registration →
 *   authorization URL (PKCE S256, `resource`) → the user agent follows it,
 *   through any consent form, to the harness's loopback redirect URI →
 *   token → initialize → tools/list → one tool call.
 *
 * Every request, the SDK's and the browser's, is recorded as a hop; the
 * outcome is judged from the hops alone (flow-outcome.ts). The flow
 * authorizes once: when the SDK wants a second authorization (a token
 * refused after it was issued, say), the flow stops there and the hops say
 * why. What the client side ended on (the SDK's error, or the harness's)
 * is kept apart from the server's verdict.
 */
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Browser } from 'playwright-core';
import type { ProviderConsent, RemoteUserAgent } from '../../core/remote-vocabulary.ts';
import { BrowserTab } from '../browser/browser-tab.ts';
import { UserAgent, type ConsentChoice } from '../flow/user-agent.ts';
import { FlowOAuthProvider } from './flow-oauth-provider.ts';
import { flowOutcome, type FlowOutcome } from './flow-outcome.ts';
import type { RemoteHop } from './hop.ts';
import { LoopbackRedirectListener, REDIRECT_PATH } from './loopback-redirect-listener.ts';
import { HopRecorder, type BeforeSend, type HopRoute } from './recording-fetch.ts';

export interface RemoteFlowOptions {
  /** The server's MCP endpoint, e.g. http://localhost:3000/mcp (behind a balancer: the balancer's). */
  mcpUrl: string | URL;
  /** The tool called once the session is open. */
  toolCall: { name: string; arguments?: Record<string, unknown> };
  /** The response header naming the replica that served a request; default `x-served-by`. */
  replicaHeader?: string;
  /** Names of origins reached directly (no balancer to name the replica). */
  replicaByOrigin?: Readonly<Record<string, string>>;
  /** Sends a request elsewhere than addressed: a deterministic stand-in for a balancer's choice. */
  route?: HopRoute;
  /** Awaited before each request: where a scenario restarts or adds replicas at a point of the flow. */
  beforeSend?: BeforeSend;
  /** Default: a fresh UserAgent that accepts consent. */
  userAgent?: UserAgent;
  /**
   * Play the user in a real Chromium instead (a tab of its own, through the provider's consent page); every
   * navigation is recorded as a hop with the replica its response names, as the HTTP user agent's are.
   */
  browser?: Browser;
  consent?: ConsentChoice;
  /** Per MCP request; default 10 s. */
  requestTimeoutMs?: number;
  /**
   * A registration from an earlier flow (its result's `registration`), reused
   * as a real client does: no registration hop. The redirect URI listens on
   * the port that registration names again.
   */
  registration?: OAuthClientInformationMixed;
}

export interface RemoteFlowResult {
  hops: RemoteHop[];
  outcome: FlowOutcome;
  /** Who played the browser. */
  userAgent: RemoteUserAgent;
  /** What the user met at the provider; absent when the flow did not get there (or got no further than its page). */
  consent?: ProviderConsent;
  /** What the client side ended on when it did not complete: the SDK's error (often the break itself, as the SDK saw it) or the harness's. */
  clientError?: string;
  /** Tools the server listed, when it got that far. */
  tools?: string[];
  toolResult?: { isError: boolean; text: string };
  /**
   * The client registration the flow ended with, for a later flow to reuse.
   * It holds the client secret when the server issued one: it is not part of
   * the record (hops) and must not be written out.
   */
  registration?: OAuthClientInformationMixed;
  /** The access token the flow ended with, for a later client to use (the conformance suite through a balancer): a secret, never written out. */
  accessToken?: string;
}

const CLIENT_INFO = { name: 'oauth-state-repro-remote-client', version: '0.1.0' };

function checkOptions(options: RemoteFlowOptions): URL {
  const text = String(options.mcpUrl);
  if (!URL.canParse(text)) throw new Error(`remote flow: mcpUrl ${JSON.stringify(text)} is not a URL (expected e.g. "http://localhost:3000/mcp")`);
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`remote flow: mcpUrl must be http or https, got ${JSON.stringify(url.protocol)}`);
  if (!options.toolCall?.name) throw new Error('remote flow: toolCall.name is required (the tool called at the end of the flow)');
  return url;
}

export async function runRemoteFlow(options: RemoteFlowOptions): Promise<RemoteFlowResult> {
  const mcpUrl = checkOptions(options);
  const timeout = options.requestTimeoutMs ?? 10_000;
  const listener = await LoopbackRedirectListener.start(reusedRedirectPort(options.registration));
  const recorder = new HopRecorder({
    known: { mcpUrl, redirectUri: listener.redirectUri },
    replicaHeader: options.replicaHeader,
    replicaByOrigin: options.replicaByOrigin,
    route: options.route,
    beforeSend: options.beforeSend,
  });
  const provider = new FlowOAuthProvider(listener.redirectUri, recorder.secrets, options.registration);
  const clientFetch = recorder.fetchFor('client', globalThis.fetch);
  const clients: Client[] = [];
  // Kept here: a client whose connect failed lets go of its transport, and the first one finishes the authorization.
  const transports: StreamableHTTPClientTransport[] = [];
  const result: Omit<RemoteFlowResult, 'hops' | 'outcome'> = { userAgent: options.browser ? 'chromium' : 'http' };
  const connect = async (): Promise<Client> => {
    const client = new Client(CLIENT_INFO);
    clients.push(client);
    // Errors reach the awaited calls; the SDK's default would only print them.
    client.onerror = () => undefined;
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: clientFetch });
    transports.push(transport);
    await client.connect(transport, { timeout });
    return client;
  };
  try {
    let client: Client | undefined;
    try {
      client = await connect();
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
    }
    if (!client) {
      const code = await authorizeInBrowser(options, provider, listener, recorder, result);
      if (code === undefined) return finish(recorder, provider, result, 'the authorization did not come back with a usable code (see the hops)');
      await transports[0]!.finishAuth(code);
      client = await connect();
    }
    const { tools } = await client.listTools(undefined, { timeout });
    result.tools = tools.map((tool) => tool.name);
    const called = await client.callTool({ name: options.toolCall.name, arguments: options.toolCall.arguments ?? {} }, undefined, { timeout });
    const content = Array.isArray(called.content) ? (called.content as { text?: string }[]) : [];
    result.toolResult = { isError: called.isError === true, text: recorder.secrets.redactText(content.map((item) => item.text ?? '').join('\n')) };
    return finish(recorder, provider, result);
  } catch (error) {
    return finish(recorder, provider, result, errorChain(error));
  } finally {
    await Promise.all([...clients, ...transports].map((closable) => closable.close().catch(() => undefined)));
    await listener.close();
  }
}

/**
 * The browser's part: the authorization URL the SDK built, followed by the
 * user agent until it lands on the loopback redirect URI. The code that
 * arrived there, when it arrived with this flow's state; undefined when the
 * server sent the browser anywhere else or sent an error back.
 */
async function authorizeInBrowser(
  options: RemoteFlowOptions,
  provider: FlowOAuthProvider,
  listener: LoopbackRedirectListener,
  recorder: HopRecorder,
  result: Pick<RemoteFlowResult, 'consent'>,
): Promise<string | undefined> {
  const authorizationUrl = provider.authorizationUrls[0];
  if (!authorizationUrl) throw new Error('remote flow: the server refused the client without the SDK starting an authorization (no authorization URL)');
  recorder.authorizationEndpoint = new URL(authorizationUrl.pathname, authorizationUrl);
  listener.expectState(provider.lastState);
  if (options.browser) return authorizeInChromium(options, options.browser, authorizationUrl, listener, recorder, result);
  const userAgent = options.userAgent ?? new UserAgent();
  const userAgentFetch: FetchLike = recorder.fetchFor('user-agent', globalThis.fetch);
  const walk = await userAgent.follow(authorizationUrl.toString(), { maxHops: 12, fetch: userAgentFetch, ...(options.consent ? { consent: options.consent } : {}) });
  const consent = consentMet(walk.consent, recorder);
  if (consent) result.consent = consent;
  const arrived = listener.response;
  const landed = walk.page !== undefined && walk.page.url.startsWith(listener.redirectUri.toString()) && walk.page.status === 200;
  return landed ? arrived?.code : undefined;
}

/**
 * The same walk in a real browser tab: its navigations are recorded as their responses arrive (the browser does
 * not go through this harness's fetch), each with the replica its response's header names; a walk that stopped on
 * a server's error page gets that page's text as the failing hop's words. The scenario's hook runs before each
 * navigation, as it does before each request of the HTTP user agent.
 */
async function authorizeInChromium(
  options: RemoteFlowOptions,
  browser: Browser,
  authorizationUrl: URL,
  listener: LoopbackRedirectListener,
  recorder: HopRecorder,
  result: Pick<RemoteFlowResult, 'consent'>,
): Promise<string | undefined> {
  const hook = options.beforeSend;
  const recordedBefore = recorder.hops.length;
  const tab = await BrowserTab.open(browser, {
    onNavigation: (hop) => recorder.recordObserved('user-agent', hop),
    ...(hook ? { beforeRequest: (url: URL, method: string) => hook({ kind: recorder.kindOf('user-agent', method, url), by: 'user-agent', url }, recorder.hops) } : {}),
  });
  try {
    let reached = false;
    let failure: unknown;
    try {
      await tab.authorize(authorizationUrl.toString(), (url) => url.href.startsWith(listener.redirectUri.toString()), { consent: options.consent === 'deny' ? 'deny' : 'accept' });
      await tab.callbackPage();
      reached = true;
    } catch (error) {
      failure = error;
    }
    const consent = consentMet(tab.consentClicked, recorder);
    if (consent) result.consent = consent;
    const last = recorder.hops.at(-1);
    if (!reached && last && recorder.hops.length > recordedBefore) recorder.addErrorText(last, await tab.pageText());
    if (!reached && recorder.hops.length === recordedBefore) throw failure;
    const arrived = listener.response;
    return reached ? arrived?.code : undefined;
  } finally {
    await tab.close();
  }
}

/**
 * The consent as the walk met it: the button clicked on the provider's page, or, with no page, 'automatic' when
 * the walk did get back from the provider (a provider callback hop: the provider answered the authorization
 * without asking). Undefined when it never got that far.
 */
function consentMet(clicked: 'accept' | 'deny' | undefined, recorder: HopRecorder): ProviderConsent | undefined {
  if (clicked) return clicked === 'accept' ? 'page, accepted' : 'page, denied';
  return recorder.hops.some((hop) => hop.by === 'user-agent' && hop.kind === 'provider-callback') ? 'automatic' : undefined;
}

/**
 * A reused registration names the redirect URI it was made with; servers
 * that compare redirect URIs exactly (the SDK example's demo provider does,
 * although its router allows any loopback port) need the same port again.
 */
function reusedRedirectPort(registration: OAuthClientInformationMixed | undefined): number {
  const registered = registration && 'redirect_uris' in registration ? registration.redirect_uris[0] : undefined;
  if (registered === undefined) return 0;
  const url = new URL(String(registered));
  if (url.hostname !== '127.0.0.1' || url.pathname !== REDIRECT_PATH) throw new Error(`remote flow: the reused registration's redirect URI ${registered} is not this harness's (http://127.0.0.1:PORT${REDIRECT_PATH})`);
  return Number(url.port);
}

function finish(recorder: HopRecorder, provider: FlowOAuthProvider, result: Omit<RemoteFlowResult, 'hops' | 'outcome'>, clientError?: string): RemoteFlowResult {
  if (provider.registration) result.registration = provider.registration;
  const accessToken = provider.tokens()?.access_token;
  if (accessToken) result.accessToken = accessToken;
  const hops = recorder.hops.map((hop): RemoteHop => (hop.status === undefined && hop.errorText === undefined ? { ...hop, inFlight: true } : { ...hop }));
  return { hops, outcome: flowOutcome(hops), ...result, ...(clientError !== undefined ? { clientError: recorder.secrets.redactText(clientError) } : {}) };
}

/** "Unauthorized: …: …": the message with its causes, as one line. */
function errorChain(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 5; current = current instanceof Error ? current.cause : undefined) {
    parts.push(current instanceof Error ? `${current.name === 'Error' ? '' : `${current.name}: `}${current.message}` : String(current));
  }
  return parts.join(': ');
}
