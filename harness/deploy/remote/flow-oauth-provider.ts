/**
 * The SDK's OAuthClientProvider for one flow, kept in memory: a public
 * client (PKCE, no secret) registered dynamically with the harness's
 * loopback redirect URI. It does not open a browser: it keeps the
 * authorization URL the SDK built, for the driver to hand to the user agent.
 * Every secret it is given is also handed to the hop records' redaction.
 */
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { SecretValues } from './secret-redaction.ts';

export class FlowOAuthProvider implements OAuthClientProvider {
  /** Each authorization URL the SDK asked to send the browser to, in order (a second one means the SDK started over). */
  readonly authorizationUrls: URL[] = [];
  /** The state of the latest authorization URL: 32 random bytes, base64url, as the client's own CSRF check. */
  lastState: string | undefined;
  private client: OAuthClientInformationMixed | undefined;
  private savedTokens: OAuthTokens | undefined;
  private verifier: string | undefined;

  constructor(
    private readonly redirectUri: URL,
    private readonly secrets: SecretValues,
    /** A registration from an earlier flow, reused as a client does (no new registration hop). */
    registered?: OAuthClientInformationMixed,
    private readonly clientName = 'oauth-state-repro',
  ) {
    if (registered) this.saveClientInformation(registered);
  }

  get redirectUrl(): string {
    return this.redirectUri.toString();
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUri.toString()],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.lastState = randomBytes(32).toString('base64url');
    this.secrets.add(this.lastState);
    return this.lastState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.secrets.add(information.client_secret);
    this.client = information;
  }

  /** The registration in use at the end of the flow, for a later flow to reuse. */
  get registration(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  tokens(): OAuthTokens | undefined {
    return this.savedTokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.secrets.add(tokens.access_token);
    this.secrets.add(tokens.refresh_token);
    this.secrets.add(tokens.id_token);
    this.savedTokens = tokens;
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.authorizationUrls.push(authorizationUrl);
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.secrets.add(codeVerifier);
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new Error('no PKCE code verifier saved: the SDK asked for one before starting an authorization');
    return this.verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') this.client = undefined;
    if (scope === 'all' || scope === 'tokens') this.savedTokens = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
  }
}
