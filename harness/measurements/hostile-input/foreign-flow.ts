/**
 * "A state from another user's flow": another OAuth client (another user's
 * app), with its own state and PKCE pair, goes through the real authorize
 * endpoint of the mock and is redirected to OUR callback with a genuine code
 * and its own state. Our callback must refuse it (its store never saw that
 * state). No process of the target is involved, so it costs one HTTP round trip.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UserAgent } from '../../deploy/flow/user-agent.ts';
import { AUTHORIZE_REQUESTS } from '../../../fixtures/atlassian-mock/providers/provider-hosts.ts';
import type { DeploymentPool, PooledDeployment } from '../../deploy/deployment-pool.ts';

let foreignCounter = 0;

/** Returns the `code=…&state=…` query the other user's browser brought to our callback. */
export async function foreignCallbackQuery(pool: DeploymentPool, pd: PooledDeployment): Promise<string> {
  foreignCounter += 1;
  const callbackUrl = new URL(pool.ctx.target.callbackPath, pd.deployment.callbackUrl).toString();
  const client = await pool.registerForeignClient(`foreign-${foreignCounter}-${pd.label}`, [callbackUrl]);
  const verifier = randomBytes(32).toString('base64url');
  // What the run's provider (the mock's profile) requires of an authorization request: Atlassian's audience, another's path.
  const request = AUTHORIZE_REQUESTS[pool.ctx.mock.provider];
  const authorize = new URL(request.path, pool.ctx.mock.url);
  const params = {
    ...request.extras,
    client_id: client.clientId,
    scope: request.scope,
    redirect_uri: callbackUrl,
    state: randomBytes(32).toString('base64url'),
    response_type: 'code',
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
