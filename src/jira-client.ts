/**
 * The smallest Jira call that proves a token works: find the site's cloud id
 * among the token's accessible resources, then GET /rest/api/3/myself.
 */
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { describeCause, isTimeout, NotAuthenticatedError } from './oauth-errors.ts';
import type { OAuthManager } from './oauth-manager.ts';
import { githubWhoami } from './providers/github-user.ts';
import { isOpenIdProvider, type OAuthProvider } from './providers/provider-name.ts';
import { discoverOpenId } from './providers/openid-discovery.ts';
import { openIdUser } from './providers/openid-sign-in.ts';

export type JiraErrorCode = 'unauthorized' | 'no_accessible_site' | 'api_error' | 'timeout' | 'unreachable' | 'malformed_response';

export class JiraClientError extends Error {
  constructor(
    readonly code: JiraErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'JiraClientError';
  }
}

export interface JiraUser {
  accountId: string;
  emailAddress: string | null;
  displayName: string;
  cloudId: string;
  siteUrl: string;
}

interface AccessibleResource {
  id: string;
  url: string;
  name?: string;
}

export type JiraConfig = Pick<Config, 'apiUrl' | 'jiraCompanyUrl' | 'userEmail' | 'httpTimeoutMs'> & {
  /** With a provider other than Atlassian there is no Jira: whoami answers the provider's user. */
  provider?: OAuthProvider;
  /** That provider's sign-in host, for the profile link of its user. */
  authUrl?: string;
};

export interface JiraClientOptions {
  config: JiraConfig;
  /** Where the token comes from: the OAuth manager, or the remote mode's per-request source. */
  oauth: Pick<OAuthManager, 'getTokens' | 'refresh'>;
  logger?: Logger;
}

const normalizeSite = (url: string): string => url.replace(/\/+$/, '').toLowerCase();

export class JiraClient {
  private readonly config: JiraConfig;
  private readonly oauth: Pick<OAuthManager, 'getTokens' | 'refresh'>;
  private readonly log: Logger;

  constructor(options: JiraClientOptions) {
    this.config = options.config;
    this.oauth = options.oauth;
    this.log = options.logger ?? createLogger('jira');
  }

  async whoami(): Promise<JiraUser> {
    const accessToken = await this.accessToken();
    if (this.config.provider === 'github') {
      const user = await githubWhoami((url, headers) => this.getJson(url, accessToken, headers), this.config.apiUrl, this.config.authUrl ?? 'https://github.com');
      if (typeof user === 'string') throw new JiraClientError('malformed_response', user);
      return user;
    }
    if (isOpenIdProvider(this.config.provider)) {
      const issuer = this.config.authUrl ?? '';
      const endpoints = await discoverOpenId(issuer, this.config.httpTimeoutMs);
      const user = openIdUser(await this.getJson(endpoints.userinfoEndpoint, accessToken), issuer);
      if (typeof user === 'string') throw new JiraClientError('malformed_response', user);
      return user;
    }
    const resources = await this.getJson<unknown>(`${this.config.apiUrl}/oauth/token/accessible-resources`, accessToken);
    if (!Array.isArray(resources)) throw new JiraClientError('malformed_response', 'accessible-resources did not return an array');
    const sites = resources.filter(
      (r): r is AccessibleResource =>
        typeof r === 'object' && r !== null && typeof (r as AccessibleResource).id === 'string' && typeof (r as AccessibleResource).url === 'string',
    );
    const wanted = normalizeSite(this.config.jiraCompanyUrl);
    const site = sites.find((s) => normalizeSite(s.url) === wanted) ?? sites[0];
    if (!site) {
      throw new JiraClientError('no_accessible_site', `The token grants access to no Jira site (expected ${this.config.jiraCompanyUrl})`);
    }
    if (normalizeSite(site.url) !== wanted) {
      this.log.warn(`JIRA_COMPANY_URL ${this.config.jiraCompanyUrl} not among accessible resources; using ${site.url}`);
    }
    const me = await this.getJson<Record<string, unknown>>(
      `${this.config.apiUrl}/ex/jira/${encodeURIComponent(site.id)}/rest/api/3/myself`,
      accessToken,
    );
    if (typeof me !== 'object' || me === null || typeof me.accountId !== 'string') {
      throw new JiraClientError('malformed_response', '/myself did not return an accountId');
    }
    return {
      accountId: me.accountId,
      emailAddress: typeof me.emailAddress === 'string' ? me.emailAddress : null,
      displayName: typeof me.displayName === 'string' ? me.displayName : me.accountId,
      cloudId: site.id,
      siteUrl: site.url,
    };
  }

  /** The stored access token, refreshed first when it has expired. */
  private async accessToken(): Promise<string> {
    const tokens = await this.oauth.getTokens(this.config.userEmail);
    if (!tokens) throw new NotAuthenticatedError(this.config.userEmail);
    if (tokens.expiresAt > Date.now()) return tokens.accessToken;
    if (!tokens.refreshToken) {
      throw new NotAuthenticatedError(this.config.userEmail, 'the access token expired and no refresh token is stored');
    }
    return (await this.oauth.refresh(this.config.userEmail)).accessToken;
  }

  private async getJson<T>(url: string, accessToken: string, headers: Record<string, string> = {}): Promise<T> {
    const signal = AbortSignal.timeout(this.config.httpTimeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json', ...headers },
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (isTimeout(error) || signal.aborted) {
        throw new JiraClientError('timeout', `Atlassian API did not answer within ${this.config.httpTimeoutMs} ms (${url})`);
      }
      throw new JiraClientError('unreachable', `Atlassian API unreachable (${url}): ${describeCause(error)}`);
    }
    if (response.status === 401) {
      throw new JiraClientError('unauthorized', `Atlassian API rejected the access token (HTTP 401). Run start_oauth again.`, 401);
    }
    if (!response.ok) {
      throw new JiraClientError('api_error', `Atlassian API call failed with HTTP ${response.status} (${url})`, response.status);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new JiraClientError('malformed_response', `Atlassian API sent a non-JSON body (${url})`, response.status);
    }
  }
}
