/**
 * jira_whoami's answer when src/ signs in with GitHub: there is no Jira, so
 * it reports the GitHub user behind the token (GET /user on the API host,
 * "Get the authenticated user"): the numeric id as accountId, the public
 * email, the name (or login). GitHub's REST API refuses a request without
 * a User-Agent, so one is always sent.
 */
import type { JiraUser } from '../jira-client.ts';

export const GITHUB_API_HEADERS = { accept: 'application/vnd.github+json', 'user-agent': 'jira-oauth-mcp', 'x-github-api-version': '2022-11-28' } as const;

export type GetJson = (url: string, headers: Record<string, string>) => Promise<unknown>;

export async function githubWhoami(getJson: GetJson, apiUrl: string, authUrl: string): Promise<JiraUser | string> {
  const user = await getJson(`${apiUrl}/user`, { ...GITHUB_API_HEADERS });
  if (typeof user !== 'object' || user === null) return '/user did not return an object';
  const { id, login, name, email, html_url: profile } = user as Record<string, unknown>;
  if (typeof id !== 'number' || typeof login !== 'string') return '/user did not return a numeric id and a login';
  return {
    accountId: String(id),
    emailAddress: typeof email === 'string' ? email : null,
    displayName: typeof name === 'string' && name !== '' ? name : login,
    cloudId: '',
    siteUrl: typeof profile === 'string' ? profile : `${authUrl}/${login}`,
  };
}
