import { describe, expect, it } from 'vitest';
import { hopKind, type HopRequest } from './hop-kind.ts';

const known = {
  mcpUrl: new URL('http://localhost:7000/mcp'),
  redirectUri: new URL('http://127.0.0.1:7100/callback'),
  authorizationEndpoint: new URL('http://localhost:7001/authorize'),
};
const client = (method: string, url: string, body?: string): HopRequest => ({ by: 'client', method, url: new URL(url), body });
const browser = (method: string, url: string): HopRequest => ({ by: 'user-agent', method, url: new URL(url) });

describe('hopKind', () => {
  it.each([
    ['resource-metadata', client('GET', 'http://localhost:7000/.well-known/oauth-protected-resource/mcp')],
    ['as-metadata', client('GET', 'http://localhost:7001/.well-known/oauth-authorization-server')],
    ['as-metadata', client('GET', 'http://localhost:7001/tenant/.well-known/openid-configuration')],
    ['registration', client('POST', 'http://localhost:7001/register', JSON.stringify({ redirect_uris: ['http://127.0.0.1:7100/callback'] }))],
    ['token', client('POST', 'http://localhost:7001/oauth/token', 'grant_type=authorization_code&code=x&code_verifier=y')],
    ['authorize', browser('GET', 'http://localhost:7001/authorize?client_id=c&state=s')],
    ['authorize', browser('POST', 'http://localhost:7001/authorize')],
    ['provider-callback', browser('GET', 'http://localhost:7000/oauth/callback?code=c&state=s')],
    ['provider-callback', browser('GET', 'http://localhost:7000/oauth/callback?error=access_denied&state=s')],
    ['redirect-uri', browser('GET', 'http://127.0.0.1:7100/callback?code=c&state=s')],
    ['other', browser('GET', 'http://localhost:7200/consent')],
    ['other', client('POST', 'http://localhost:7001/register', '{"client_name":"no redirect uris"}')],
  ] as const)('%s: %j', (kind, request) => {
    expect(hopKind(request, known).kind).toBe(kind);
  });

  it('names MCP requests by the JSON-RPC method they carry', () => {
    const mcp = (body: unknown) => hopKind(client('POST', 'http://localhost:7000/mcp', JSON.stringify(body)), known);
    expect(mcp({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} })).toEqual({ kind: 'initialize', rpc: 'initialize' });
    expect(mcp({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: {} })).toEqual({ kind: 'tool-call', rpc: 'tools/call' });
    expect(mcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' })).toEqual({ kind: 'other', rpc: 'tools/list' });
    expect(mcp([{ jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 3, method: 'tools/call' }])).toEqual({
      kind: 'tool-call',
      rpc: 'notifications/initialized,tools/call',
    });
    expect(hopKind(client('GET', 'http://localhost:7000/mcp'), known)).toEqual({ kind: 'other' });
  });

  it('a token-shaped body sent to the MCP endpoint is still an MCP request', () => {
    expect(hopKind(client('POST', 'http://localhost:7000/mcp', 'grant_type=x'), known)).toEqual({ kind: 'other' });
  });
});
