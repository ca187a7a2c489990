/**
 * The resource mode's token check against an authorization server played
 * in-process: discovery of the introspection endpoint from the issuer's
 * metadata (and again after a failure), a token counted only when active
 * and issued for this resource, and the answers that are not a token's
 * fault (an unreachable or failing server) kept apart from those that are.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { IntrospectionVerifier, metadataUrlOf } from './introspection-verifier.ts';

const RESOURCE = 'http://127.0.0.1:9/mcp';
const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

interface FakeAuthorizationServer {
  issuer: string;
  metadataReads: number;
  /** What /introspect answers for a token. */
  answer: (token: string) => { status: number; body: unknown };
  /** Whether the metadata names the endpoint. */
  advertises: boolean;
}

async function authorizationServer(answer: FakeAuthorizationServer['answer']): Promise<FakeAuthorizationServer> {
  const fake = { issuer: '', metadataReads: 0, answer, advertises: true };
  const server = http.createServer((req, res) => {
    if (req.url === '/.well-known/oauth-authorization-server') {
      fake.metadataReads += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: fake.issuer, ...(fake.advertises ? { introspection_endpoint: `${fake.issuer}introspect` } : {}) }));
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('token') ?? '';
      const { status, body: answerBody } = fake.answer(token);
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answerBody));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  fake.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return fake;
}

const active = (aud: unknown) => ({ status: 200, body: { active: true, client_id: 'client-1', scope: 'mcp:tools read', exp: 2_000_000_000, aud } });

describe('IntrospectionVerifier', () => {
  it('an active token issued for this resource: its client, scopes, expiry and resource; the metadata read once for many tokens', async () => {
    const as = await authorizationServer(() => active(RESOURCE));
    const verifier = new IntrospectionVerifier({ issuer: as.issuer, resource: RESOURCE, timeoutMs: 2000 });
    const info = await verifier.verifyAccessToken('token-1');
    expect(info).toEqual({ token: 'token-1', clientId: 'client-1', scopes: ['mcp:tools', 'read'], expiresAt: 2_000_000_000, resource: new URL(RESOURCE) });
    await verifier.verifyAccessToken('token-2');
    expect(as.metadataReads).toBe(1);
  });

  it('refuses a token issued for another resource, and one the server says is inactive or does not know (200 active:false, or 401)', async () => {
    const answers: Record<string, { status: number; body: unknown }> = {
      elsewhere: active('http://127.0.0.1:9/other'),
      inactive: { status: 200, body: { active: false } },
      unknown: { status: 401, body: { active: false, error: 'Unauthorized' } },
      listed: active(['http://other.example/', `${RESOURCE}/`]),
    };
    const as = await authorizationServer((token) => answers[token]!);
    const verifier = new IntrospectionVerifier({ issuer: as.issuer, resource: RESOURCE, timeoutMs: 2000 });
    await expect(verifier.verifyAccessToken('elsewhere')).rejects.toThrow(new InvalidTokenError('The access token was not issued for this server'));
    await expect(verifier.verifyAccessToken('inactive')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verifyAccessToken('unknown')).rejects.toBeInstanceOf(InvalidTokenError);
    // An audience list, and one trailing slash, as RFC 8707 resources compare.
    await expect(verifier.verifyAccessToken('listed')).resolves.toMatchObject({ clientId: 'client-1' });
  });

  it('a server that fails or names no endpoint is a server error (not the token\'s fault), and discovery is tried again next time', async () => {
    const as = await authorizationServer(() => ({ status: 503, body: {} }));
    as.advertises = false;
    const verifier = new IntrospectionVerifier({ issuer: as.issuer, resource: RESOURCE, timeoutMs: 2000 });
    await expect(verifier.verifyAccessToken('t')).rejects.toThrow(/names no introspection_endpoint/);
    as.advertises = true;
    await expect(verifier.verifyAccessToken('t')).rejects.toThrow(new ServerError('The authorization server answered 503 to introspection'));
    expect(as.metadataReads).toBe(2);
  });

  it('a configured endpoint is used as given, without reading the metadata', async () => {
    const as = await authorizationServer(() => active(RESOURCE));
    as.advertises = false;
    const verifier = new IntrospectionVerifier({ issuer: as.issuer, resource: RESOURCE, introspectionEndpoint: `${as.issuer}introspect`, timeoutMs: 2000 });
    await expect(verifier.verifyAccessToken('t')).resolves.toMatchObject({ clientId: 'client-1' });
    expect(as.metadataReads).toBe(0);
  });

  it('finds the metadata of an issuer with a path where RFC 8414 puts it', () => {
    expect(metadataUrlOf('https://auth.example.com/')).toBe('https://auth.example.com/.well-known/oauth-authorization-server');
    expect(metadataUrlOf('https://auth.example.com/tenant/a')).toBe('https://auth.example.com/.well-known/oauth-authorization-server/tenant/a');
  });
});
