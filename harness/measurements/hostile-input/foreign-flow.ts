/**
 * "A state from another user's flow": another OAuth client (another user's
 * app), with its own state and PKCE pair, goes through the real authorize
 * endpoint of the mock and is redirected to OUR callback with a genuine code
 * and its own state. Our callback must refuse it (its store never saw that
 * state). No process of the target is involved, so it costs one HTTP round trip.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UserAgent } from '../../deploy/flow/user-agent.ts';
import type { DeploymentPool, PooledDeployment } from '../../deploy/deployment-pool.ts';

/** What the mock (like Atlassian) requires of an authorization request. */
const AUDIENCE = 'api.atlassian.com';
const SCOPE = 'read:jira-work read:jira-user offline_access';

let foreignCounter = 0;

/** Returns the `code=…&state=…` query the other user's browser brought to our callback. */
export async function foreignCallbackQuery(pool: DeploymentPool, pd: PooledDeployment): Promise<string> {
  foreignCounter += 1;
  const callbackUrl = new URL(pool.ctx.target.callbackPath, pd.deployment.callbackUrl).toString();
  const client = await pool.registerForeignClient(`foreign-${foreignCounter}-${pd.label}`, [callbackUrl]);
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/authorize', pool.ctx.mock.url);
  const params = {
    audience: AUDIENCE,
    client_id: client.clientId,
    scope: SCOPE,
    redirect_uri: callbackUrl,
    state: randomBytes(32).toString('base64url'),
    response_type: 'code',
    prompt: 'consent',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);
  const { next, page } = await new UserAgent().follow(authorize.toString(), { stopBefore: (url) => url.toString().startsWith(callbackUrl) });
  if (!next) throw new Error(`foreign flow: the mock did not redirect to the callback (HTTP ${page?.status})`);
  const query = new URL(next).search.slice(1);
  if (!new URLSearchParams(query).get('code')) throw new Error(`foreign flow: the redirect carried no code (${query.slice(0, 120)})`);
  return query;
}
