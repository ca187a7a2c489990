/**
 * Where Atlassian sends the browser back: looks the pending authorization up
 * by the state this server sent, exchanges Atlassian's code with this
 * server's PKCE verifier, and sends the browser on to the MCP client's
 * redirect URI with a code of this server's own.
 *
 * A state with no pending authorization here (started on a replica that does
 * not share the store, already used, or expired) gets the write-up's words
 * on a page: there is no MCP client to send an error to, since the pending
 * authorization was what named it. Once the client is known, failures go to
 * its redirect URI as OAuth errors (RFC 6749 §4.1.2.1).
 */
import type { Request, Response } from 'express';
import { echo, escapeHtml, renderPage, type CallbackOutcome } from '../callback-pages.ts';
import { OAuthError } from '../oauth-errors.ts';
import type { OAuthManager } from '../oauth-manager.ts';
import { redact, shortId, type Logger } from '../log.ts';
import { INVALID_STATE_MESSAGE, TOKEN_EXCHANGE_FAILED_PREFIX, type PendingAuthorization } from '../session-store.ts';
import { REMOTE_LIFETIMES_MS, type RemoteState } from './remote-state.ts';
import type { RemoteUrls } from './remote-urls.ts';

const SINGLE_VALUED = ['code', 'state', 'error', 'error_description'] as const;

const PAGE_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

export interface ProviderCallbackOptions {
  state: RemoteState;
  upstream: Pick<OAuthManager, 'exchangeCode'>;
  urls: RemoteUrls;
  log: Logger;
}

function sendPage(res: Response, status: number, outcome: CallbackOutcome, body: string[]): void {
  res.status(status).set({ ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'x-callback-outcome': outcome });
  res.send(renderPage(outcome, 'Authorization failed', [...body, '<p>Please restart the authentication flow.</p>']));
}

/** The MCP client's redirect URI with the given parameters and its own state. */
function clientRedirect(pending: PendingAuthorization, params: Record<string, string>): string {
  const url = new URL(pending.redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  if (pending.clientState !== undefined) url.searchParams.set('state', pending.clientState);
  return url.href;
}

export function providerCallback(options: ProviderCallbackOptions): (req: Request, res: Response) => Promise<void> {
  const { state: remote, upstream, urls, log } = options;
  return async (req, res) => {
    // The raw query, not express's parsed one: a repeated parameter must be seen as repeated.
    const query = new URL(req.originalUrl, urls.issuer).searchParams;
    const repeated = SINGLE_VALUED.find((name) => query.getAll(name).length > 1);
    if (repeated) {
      sendPage(res, 400, 'duplicate-parameter', [`<p>Duplicate parameter: ${escapeHtml(repeated)}</p>`]);
      return;
    }
    const state = query.get('state') ?? '';
    const code = query.get('code') ?? '';
    const error = query.get('error');
    if (state === '' || (code === '' && error === null)) {
      const missing = [state === '' ? 'state' : undefined, code === '' && error === null ? 'code' : undefined].filter(Boolean) as string[];
      sendPage(res, 400, 'missing-parameter', missing.map((name) => `<p>Missing required parameter: ${escapeHtml(name)}</p>`));
      return;
    }

    const pending = await remote.consume('pendingAuthorizations', state);
    if (!pending) {
      log.warn(`❌ No pending authorization for state ${shortId(state)} (store ${remote.store.kind})`);
      sendPage(res, 400, 'invalid-state', [
        `<p data-field="message">${escapeHtml(TOKEN_EXCHANGE_FAILED_PREFIX + INVALID_STATE_MESSAGE)}</p>`,
        `<p data-field="reason">No pending authorization for this state on this server (store ${escapeHtml(remote.store.kind)}, pid ${process.pid}): ` +
          'it was started on a server that does not share its store with this one, was used already, or expired.</p>',
        `<p>State received: <code data-field="state">${echo(state)}</code></p>`,
      ]);
      return;
    }

    if (error !== null) {
      // The provider's own words stay here; the client learns that the user or the provider said no.
      log.warn(`Atlassian refused the authorization of client ${shortId(pending.clientId)}: ${error}`);
      res.redirect(302, clientRedirect(pending, { error: 'access_denied', error_description: `Atlassian answered ${error}` }));
      return;
    }

    let upstreamTokens;
    try {
      upstreamTokens = await upstream.exchangeCode({ code, redirectUri: urls.providerCallback, codeVerifier: pending.upstreamCodeVerifier });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      log.warn(`Atlassian token exchange failed for client ${shortId(pending.clientId)}: ${err.code}`, { message: redact(err.message) });
      res.redirect(302, clientRedirect(pending, { error: 'server_error', error_description: `The Atlassian token exchange failed (${err.code})` }));
      return;
    }

    const ourCode = await remote.create('authorizationCodes', {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      scopes: pending.scopes,
      ...(pending.resource ? { resource: pending.resource } : {}),
      upstream: upstreamTokens,
      expiresAt: Date.now() + REMOTE_LIFETIMES_MS.authorizationCodes,
    });
    log.info(`✅ Atlassian code exchanged for client ${shortId(pending.clientId)}; code issued (store ${remote.store.kind})`);
    res.redirect(302, clientRedirect(pending, { code: ourCode }));
  };
}
