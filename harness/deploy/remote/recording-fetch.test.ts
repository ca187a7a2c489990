import { describe, expect, it } from 'vitest';
import { HopRecorder } from './recording-fetch.ts';

const known = { mcpUrl: new URL('http://localhost:7000/mcp'), redirectUri: new URL('http://127.0.0.1:7100/callback') };

/** A server in a function: the test says what it answers, and sees where each request went. */
function fakeServer(answer: (url: URL) => Response) {
  const sentTo: string[] = [];
  const send = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    sentTo.push(url.toString());
    return answer(url);
  }) as typeof fetch;
  return { send, sentTo };
}

describe('HopRecorder', () => {
  it('records kind, status, replica from the header, the session sent, and the error text, secrets cut', async () => {
    const server = fakeServer(() => new Response('{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}', { status: 404, headers: { 'x-served-by': 'replica-b' } }));
    const recorder = new HopRecorder({ known });
    const fetch = recorder.fetchFor('client', server.send);
    const response = await fetch(known.mcpUrl, {
      method: 'POST',
      headers: new Headers({ 'mcp-session-id': '6f1c2d3e-aaaa-bbbb-cccc-000011112222', authorization: 'Bearer secret-token-value' }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'greet' } }),
    });
    // The caller still reads the body the recorder read.
    expect(await response.text()).toContain('Session not found');
    expect(recorder.hops).toEqual([
      {
        index: 0,
        kind: 'tool-call',
        by: 'client',
        method: 'POST',
        url: 'http://localhost:7000/mcp',
        status: 404,
        replica: 'replica-b',
        durationMs: expect.any(Number),
        rpc: 'tools/call',
        session: '6f1c…(36)',
        errorText: '{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}',
      },
    ]);
    expect(JSON.stringify(recorder.hops)).not.toContain('secret-token-value');
  });

  it('hides the code and verifier of a token request in every later record', async () => {
    const server = fakeServer(() => Response.json({ error: 'invalid_grant', error_description: 'code code-0123456789 was already used' }, { status: 400 }));
    const recorder = new HopRecorder({ known });
    await recorder.fetchFor('client', server.send)('http://localhost:7001/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: 'code-0123456789', code_verifier: 'verifier-abcdefghijklmnop' }) });
    expect(recorder.hops[0]).toMatchObject({ kind: 'token', status: 400, errorText: '{"error":"invalid_grant","error_description":"code code…(15) was already used"}' });
    expect(recorder.secrets.redactText('verifier-abcdefghijklmnop')).toBe('veri…(25)');
  });

  it('sends a routed request to the route, records the public URL and names the replica by its origin', async () => {
    const server = fakeServer(() => new Response(null, { status: 302, headers: { location: 'http://127.0.0.1:7100/callback?code=the-code-0123456789&state=the-state-0123' } }));
    const recorder = new HopRecorder({
      known,
      replicaByOrigin: { 'http://localhost:7001': 'A', 'http://localhost:8001': 'B' },
      route: ({ kind, url }) => (kind === 'authorize' ? new URL(url.pathname + url.search, 'http://localhost:8001') : undefined),
    });
    recorder.authorizationEndpoint = new URL('http://localhost:7001/authorize');
    await recorder.fetchFor('user-agent', server.send)('http://localhost:7001/authorize?client_id=c1&state=the-state-0123', { redirect: 'manual' });
    expect(server.sentTo).toEqual(['http://localhost:8001/authorize?client_id=c1&state=the-state-0123']);
    expect(recorder.hops[0]).toMatchObject({
      kind: 'authorize',
      url: 'http://localhost:7001/authorize?client_id=c1&state=the-…(14)',
      sentTo: 'http://localhost:8001',
      replica: 'B',
      status: 302,
      location: 'http://127.0.0.1:7100/callback?code=the-…(19)&state=the-…(14)',
    });
  });

  it('records a request that got no answer, with the reason from the error chain, and still fails it', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:7001') });
    }) as typeof fetch;
    const recorder = new HopRecorder({ known });
    await expect(recorder.fetchFor('client', refused)('http://localhost:7001/.well-known/oauth-authorization-server')).rejects.toThrow('fetch failed');
    expect(recorder.hops[0]).toMatchObject({ kind: 'as-metadata', errorText: 'fetch failed: connect ECONNREFUSED 127.0.0.1:7001' });
    expect(recorder.hops[0]!.status).toBeUndefined();
  });

  it('refuses a replica name keyed by something that is not an origin', () => {
    expect(() => new HopRecorder({ known, replicaByOrigin: { 'http://localhost:7001/mcp': 'A' } })).toThrow('replicaByOrigin: "http://localhost:7001/mcp" is not an origin');
  });
});
