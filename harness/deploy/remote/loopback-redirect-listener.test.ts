import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackRedirectListener } from './loopback-redirect-listener.ts';

let listener: LoopbackRedirectListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function visit(path: string): Promise<{ status: number; text: string }> {
  listener ??= await LoopbackRedirectListener.start();
  const response = await fetch(new URL(path, listener.redirectUri));
  return { status: response.status, text: await response.text() };
}

describe('the loopback redirect URI', () => {
  it('listens on 127.0.0.1 at a port of its own and keeps the code and state that arrive', async () => {
    listener = await LoopbackRedirectListener.start();
    expect(listener.redirectUri.hostname).toBe('127.0.0.1');
    expect(Number(listener.redirectUri.port)).toBeGreaterThan(0);
    listener.expectState('state-1');
    expect(await visit('/callback?code=c-1&state=state-1')).toEqual({ status: 200, text: 'Authorized: you may close this window.' });
    expect(listener.response).toEqual({ code: 'c-1', state: 'state-1' });
  });

  it('listens on a port it is given, and says so plainly when that port is taken', async () => {
    listener = await LoopbackRedirectListener.start();
    const port = Number(listener.redirectUri.port);
    await expect(LoopbackRedirectListener.start(port)).rejects.toThrow(`redirect URI: port ${port} on 127.0.0.1 is taken`);
    await listener.close();
    listener = await LoopbackRedirectListener.start(port);
    expect(listener.redirectUri.toString()).toBe(`http://127.0.0.1:${port}/callback`);
  });

  it('refuses a state it did not send', async () => {
    listener = await LoopbackRedirectListener.start();
    listener.expectState('state-1');
    expect(await visit('/callback?code=c-1&state=state-2')).toEqual({ status: 400, text: 'authorization failed: the state that came back is not the one this client sent' });
  });

  it('says what error the server sent back, and that a redirect without a code is no authorization', async () => {
    expect(await visit('/callback?error=invalid_scope&error_description=Unknown+scope&state=s')).toEqual({ status: 400, text: 'authorization failed: invalid_scope: Unknown scope' });
    expect(listener!.response).toEqual({ error: 'invalid_scope', errorDescription: 'Unknown scope', state: 's' });
    expect(await visit('/callback?state=s')).toEqual({ status: 400, text: 'authorization failed: no code in the redirect' });
  });

  it('answers 404 anywhere but the redirect path', async () => {
    expect(await visit('/favicon.ico')).toEqual({ status: 404, text: 'not the redirect URI: GET /favicon.ico' });
  });
});
