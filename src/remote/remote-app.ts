/**
 * The remote server as one express app: the SDK's MCP authorization router
 * (metadata, /register, /authorize, /token) over the Atlassian proxy
 * provider, the provider callback, and /mcp behind the SDK's bearer
 * middleware. Everything it remembers goes through the one SessionStore.
 *
 * With AUTHORIZATION_SERVER_URL set it is a resource server only: no
 * authorization routes, its protected-resource metadata names that server,
 * and the bearer middleware asks it about each token (introspection), so
 * the only state it keeps is its MCP sessions.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { RemoteConfig } from '../config.ts';
import { renderPage } from '../callback-pages.ts';
import { OAuthManager } from '../oauth-manager.ts';
import type { Logger } from '../log.ts';
import type { SessionStore } from '../session-store.ts';
import { mcpEndpoint } from './mcp-endpoint.ts';
import { providerCallback } from './provider-callback.ts';
import { AtlassianProxyProvider } from './proxy-provider.ts';
import { IntrospectionVerifier } from './introspection-verifier.ts';
import { createRemoteToolServer } from './remote-tools.ts';
import { RemoteState } from './remote-state.ts';
import { MCP_PATH, PROVIDER_CALLBACK_PATH, remoteUrls } from './remote-urls.ts';

export const HEALTH_PATH = '/health';
const RESOURCE_NAME = 'Jira (oauth-state-repro, remote mode)';

export interface RemoteAppOptions {
  config: RemoteConfig;
  store: SessionStore;
  log: Logger;
  /** Atlassian's side; default the OAuth manager's, from config. In-process tests pass a stand-in. */
  upstream?: Pick<OAuthManager, 'authorizeUrl' | 'exchangeCode' | 'refreshGrant'>;
}

export function createRemoteApp(options: RemoteAppOptions): express.Express {
  const { config, store, log } = options;
  const urls = remoteUrls(config.publicUrl);
  const state = new RemoteState(store);
  const upstream = options.upstream ?? new OAuthManager({
    // The remote mode calls only authorizeUrl, exchangeCode and refreshGrant: no single user, the redirect URI is passed per call.
    config: { ...config, redirectUri: urls.providerCallback, userEmail: '' },
    store,
    logger: log.child('atlassian'),
  });
  const provider = new AtlassianProxyProvider({ state, upstream, urls, log: log.child('oauth') });
  const trusted = config.authorizationServerUrl;
  const protectedResource = { resource: urls.resource, authorization_servers: [trusted ?? urls.issuer], resource_name: RESOURCE_NAME };

  const app = express();
  app.disable('x-powered-by');
  // One line per hop, path only: the query carries codes and states. Which replica served which hop is read off these.
  app.use((req, res, next) => {
    const started = Date.now();
    res.on('finish', () => log.info(`${req.method} ${req.path} -> ${res.statusCode} (${Date.now() - started} ms)`));
    next();
  });
  if (trusted) {
    // The path-specific URL the SDK would serve (RFC 9728 §3.1), which the 401's WWW-Authenticate names.
    app.get(new URL(getOAuthProtectedResourceMetadataUrl(new URL(urls.resource))).pathname, (_req, res) => {
      res.json(protectedResource);
    });
  } else {
    app.use(
      mcpAuthRouter({
        provider,
        issuerUrl: new URL(urls.issuer),
        resourceServerUrl: new URL(urls.resource),
        resourceName: RESOURCE_NAME,
        // Off: behind a balancer every request comes from its address, and the harness runs many flows a minute.
        authorizationOptions: { rateLimit: false },
        tokenOptions: { rateLimit: false },
        clientRegistrationOptions: { rateLimit: false },
      }),
    );
    app.get(PROVIDER_CALLBACK_PATH, providerCallback({ state, upstream, urls, log: log.child('callback') }));
  }
  // The SDK serves the resource's metadata at its path-specific URL (…/oauth-protected-resource/mcp); clients that look at the root find it too.
  app.get('/.well-known/oauth-protected-resource', (_req, res) => {
    res.json(protectedResource);
  });
  app.get(HEALTH_PATH, (_req, res) => {
    res.set('cache-control', 'no-store').json({ ok: true, store: store.kind, pid: process.pid });
  });

  const verifier = trusted ? new IntrospectionVerifier({ issuer: trusted, resource: urls.resource, ...(config.introspectionUrl ? { introspectionEndpoint: config.introspectionUrl } : {}), timeoutMs: config.httpTimeoutMs }) : provider;
  const bearer = requireBearerAuth({ verifier, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(new URL(urls.resource)) });
  const endpoint = mcpEndpoint({
    state,
    log: log.child('mcp'),
    createServer: () => createRemoteToolServer({ config, storeKind: store.kind, log: log.child('tools') }),
  });
  app.post(MCP_PATH, bearer, express.json({ limit: '4mb' }), endpoint.post);
  app.get(MCP_PATH, bearer, endpoint.get);
  app.delete(MCP_PATH, bearer, endpoint.delete);

  // Express 5 routes a rejected handler here: answer in the route's own language, and log once.
  app.use((error: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status !== undefined && error.status >= 400 && error.status < 500 ? error.status : 500;
    log.error(`${req.method} ${req.path} -> ${status}: ${error.message}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (req.path === PROVIDER_CALLBACK_PATH) {
      res
        .status(status)
        .set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-callback-outcome': 'internal-error' })
        .send(renderPage('internal-error', 'Internal error', ['<p>The callback failed unexpectedly. Please restart the authentication flow.</p>']));
      return;
    }
    if (req.path === MCP_PATH) {
      const parseError = status === 400;
      res.status(status).json({ jsonrpc: '2.0', error: { code: parseError ? -32700 : -32603, message: parseError ? 'Parse error' : 'Internal error' }, id: null });
      return;
    }
    res.status(status).json({ error: status === 500 ? 'server_error' : 'invalid_request', error_description: status === 500 ? 'Internal Server Error' : error.message });
  });
  return app;
}

