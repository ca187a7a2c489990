/**
 * The fetch every request of a remote flow goes through, the SDK's and the
 * user agent's: it records each request as a hop (kind, method, URL, status,
 * the replica that served it, time to the response's headers, the server's
 * error text), optionally sends it somewhere else first (a route: how a
 * test plays a balancer that picks a replica per request), and keeps
 * secrets out of the record. The request and response themselves pass
 * through unchanged.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { hopKind, type KnownUrls } from './hop-kind.ts';
import type { HopKind, RemoteHop } from './hop.ts';
import type { Hop } from '../flow/user-agent.ts';
import { SecretValues, shortened } from './secret-redaction.ts';

/** Where a request is sent instead of its own URL; undefined or the same URL: as addressed. */
export type HopRoute = (request: { kind: HopKind; url: URL }) => URL | undefined;

export interface HopRecorderOptions {
  known: KnownUrls;
  /** The response header that names the replica (a balancer adds it). Default `x-served-by`. */
  replicaHeader?: string;
  /** Names for origins reached directly, without a balancer to say which replica answered. */
  replicaByOrigin?: Readonly<Record<string, string>>;
  route?: HopRoute;
  /** Awaited before each request is sent and recorded: where a scenario acts on the replicas at a point of the flow. */
  beforeSend?: BeforeSend;
  /** The fetch that really sends; default the global one. */
  send?: typeof fetch;
}

/** Called with the request about to go and every hop before it. */
export type BeforeSend = (next: { kind: HopKind; by: RemoteHop['by']; url: URL }, before: readonly RemoteHop[]) => Promise<void>;

export const DEFAULT_REPLICA_HEADER = 'x-served-by';
const ERROR_TEXT_CHARS = 500;

export class HopRecorder {
  readonly hops: RemoteHop[] = [];
  readonly secrets = new SecretValues();
  private readonly replicaHeader: string;

  constructor(private readonly options: HopRecorderOptions) {
    this.replicaHeader = options.replicaHeader ?? DEFAULT_REPLICA_HEADER;
    for (const [origin] of Object.entries(options.replicaByOrigin ?? {})) {
      if (!URL.canParse(origin) || new URL(origin).origin !== origin) throw new Error(`replicaByOrigin: ${JSON.stringify(origin)} is not an origin (expected "http://host:port")`);
    }
  }

  /** The authorization endpoint is known only once the SDK has built the authorization URL. */
  set authorizationEndpoint(url: URL) {
    this.options.known.authorizationEndpoint = url;
  }

  /** A fetch for one side of the flow; `send` is what really sends. */
  fetchFor(by: RemoteHop['by'], send: typeof fetch): FetchLike {
    return (input, init) => this.record(by, send, input, init);
  }

  private async record(by: RemoteHop['by'], send: typeof fetch, input: string | URL, init?: RequestInit): Promise<Response> {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const body = bodyText(init?.body);
    this.learnSecrets(body);
    const { kind, rpc } = hopKind({ by, method, url, body }, this.options.known);
    await this.options.beforeSend?.({ kind, by, url }, this.hops);
    const routed = this.options.route?.({ kind, url });
    const target = routed ?? url;
    const session = new Headers(init?.headers).get('mcp-session-id') ?? undefined;
    const hop: RemoteHop = {
      index: this.hops.length,
      kind,
      by,
      method,
      url: this.secrets.redactUrl(url.toString()),
      ...(target.origin !== url.origin ? { sentTo: target.origin } : {}),
      durationMs: 0,
      ...(rpc ? { rpc } : {}),
      ...(session ? { session: shortened(session) } : {}),
    };
    this.hops.push(hop);
    const started = performance.now();
    try {
      const response = await send(target, init);
      hop.durationMs = performance.now() - started;
      hop.status = response.status;
      const replica = response.headers.get(this.replicaHeader) ?? this.options.replicaByOrigin?.[target.origin];
      if (replica !== undefined) hop.replica = replica;
      const location = response.headers.get('location');
      if (location !== null) hop.location = this.secrets.redactUrl(new URL(location, target).toString());
      if (response.status >= 400) hop.errorText = this.cut(await response.clone().text().catch((error: unknown) => `(body unreadable: ${String(error)})`));
      return response;
    } catch (error) {
      hop.durationMs = performance.now() - started;
      hop.errorText = this.cut(networkError(error));
      throw error;
    }
  }

  /**
   * A hop another agent made and saw (a real browser's navigation), recorded as if it had gone through this fetch:
   * its kind, the replica its headers name, and the page's words when it failed.
   */
  recordObserved(by: RemoteHop['by'], seen: Hop): void {
    const url = new URL(seen.url);
    const { kind } = hopKind({ by, method: seen.method, url, body: undefined }, this.options.known);
    const replica = seen.headers?.[this.replicaHeader.toLowerCase()] ?? this.options.replicaByOrigin?.[url.origin];
    this.hops.push({
      index: this.hops.length,
      kind,
      by,
      method: seen.method,
      url: this.secrets.redactUrl(url.toString()),
      status: seen.status,
      durationMs: seen.durationMs,
      ...(replica !== undefined ? { replica } : {}),
      ...(seen.location ? { location: this.secrets.redactUrl(seen.location) } : {}),
    });
  }

  /** The words of a failed hop recorded without them (a browser's error page, read once the walk has stopped on it). */
  addErrorText(hop: RemoteHop, text: string): void {
    if (hop.errorText === undefined && hop.status !== undefined && hop.status >= 400) hop.errorText = this.cut(text);
  }

  /** What kind of hop a request to `url` would be: for a hook that sees requests before they are recorded. */
  kindOf(by: RemoteHop['by'], method: string, url: URL): HopKind {
    return hopKind({ by, method, url, body: undefined }, this.options.known).kind;
  }

  /** A token request's body carries the code and the verifier: they are hidden wherever they turn up later. */
  private learnSecrets(body: string | undefined): void {
    if (body === undefined || !body.includes('=')) return;
    const form = new URLSearchParams(body);
    for (const name of ['code', 'code_verifier', 'refresh_token', 'client_secret']) this.secrets.add(form.get(name) ?? undefined);
  }

  private cut(text: string): string {
    const redacted = this.secrets.redactText(text.trim());
    return redacted.length > ERROR_TEXT_CHARS ? `${redacted.slice(0, ERROR_TEXT_CHARS)}…` : redacted;
  }
}

function bodyText(body: RequestInit['body']): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return undefined;
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:7001": undici hides the reason in the cause. */
function networkError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error && parts.length < 4; current = current.cause) parts.push(current.message);
  return parts.length > 0 ? parts.join(': ') : String(error);
}
