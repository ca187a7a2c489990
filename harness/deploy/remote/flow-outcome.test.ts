import { describe, expect, it } from 'vitest';
import { flowOutcome, sessionStrayed } from './flow-outcome.ts';
import type { RemoteHop } from './hop.ts';

type HopSketch = Omit<RemoteHop, 'index' | 'durationMs' | 'url'> & { url?: string };
const hops = (...sketches: HopSketch[]): RemoteHop[] => sketches.map((sketch, index) => ({ url: 'http://lb.test/', durationMs: 1, ...sketch, index }));

const challenge: HopSketch = { kind: 'initialize', by: 'client', method: 'POST', rpc: 'initialize', status: 401, replica: 'A', errorText: '{"error":"invalid_token","error_description":"Missing Authorization header"}' };
const resourceMetadata: HopSketch = { kind: 'resource-metadata', by: 'client', method: 'GET', status: 200, replica: 'A' };
const asMetadataMissing: HopSketch = { kind: 'as-metadata', by: 'client', method: 'GET', status: 404, replica: 'B' };
const asMetadata: HopSketch = { kind: 'as-metadata', by: 'client', method: 'GET', status: 200, replica: 'A' };
const registration: HopSketch = { kind: 'registration', by: 'client', method: 'POST', status: 201, replica: 'A' };
const authorize: HopSketch = { kind: 'authorize', by: 'user-agent', method: 'GET', status: 302, replica: 'A' };
const redirect: HopSketch = { kind: 'redirect-uri', by: 'user-agent', method: 'GET', status: 200 };
const token: HopSketch = { kind: 'token', by: 'client', method: 'POST', status: 200, replica: 'A' };
const initialize: HopSketch = { kind: 'initialize', by: 'client', method: 'POST', rpc: 'initialize', status: 200, replica: 'A' };
const initialized: HopSketch = { kind: 'other', by: 'client', method: 'POST', rpc: 'notifications/initialized', session: 'abcd…(36)', status: 202, replica: 'A' };
const stream: HopSketch = { kind: 'other', by: 'client', method: 'GET', session: 'abcd…(36)', status: 405, replica: 'A' };
const list: HopSketch = { kind: 'other', by: 'client', method: 'POST', rpc: 'tools/list', session: 'abcd…(36)', status: 200, replica: 'A' };
const call: HopSketch = { kind: 'tool-call', by: 'client', method: 'POST', rpc: 'tools/call', session: 'abcd…(36)', status: 200, replica: 'A' };

const untilToken = [challenge, resourceMetadata, asMetadataMissing, asMetadata, registration, authorize, redirect, token];
const wholeFlow = [...untilToken, initialize, initialized, stream, list, call];

describe('flowOutcome', () => {
  it('a whole flow is completed, the initial 401, a metadata 404 and a refused GET stream being normal steps', () => {
    expect(flowOutcome(hops(...wholeFlow))).toEqual({ outcome: 'completed' });
  });

  it('a request still waiting for its answer when the flow ended (the GET stream behind a balancer) is no failure', () => {
    const waiting: HopSketch = { kind: 'other', by: 'client', method: 'GET', session: 'abcd…(36)', inFlight: true };
    expect(flowOutcome(hops(...untilToken, initialize, initialized, waiting, list, call))).toEqual({ outcome: 'completed' });
  });

  it('registration: the authorize on another replica does not know the client', () => {
    const onB: HopSketch = { ...authorize, status: 400, replica: 'B', errorText: '{"error":"invalid_client","error_description":"Invalid client_id"}' };
    expect(flowOutcome(hops(challenge, resourceMetadata, asMetadata, registration, onB))).toEqual({
      outcome: 'broken',
      lost: 'registration',
      hop: 4,
      kind: 'authorize',
      status: 400,
      replica: 'B',
      createdOn: 'A',
      errorText: '{"error":"invalid_client","error_description":"Invalid client_id"}',
    });
  });

  it('registration: the token endpoint on another replica does not know the client', () => {
    const onB: HopSketch = { ...token, status: 400, replica: 'B', errorText: '{"error":"invalid_client","error_description":"Invalid client_id"}' };
    expect(flowOutcome(hops(...untilToken.slice(0, -1), onB))).toMatchObject({ outcome: 'broken', lost: 'registration', kind: 'token', replica: 'B', createdOn: 'A' });
  });

  it('authorize-state: the provider comes back to a replica that never saw the authorization', () => {
    const toProvider: HopSketch = { kind: 'other', by: 'user-agent', method: 'GET', status: 302, url: 'http://provider.test/authorize' };
    const callback: HopSketch = { kind: 'provider-callback', by: 'user-agent', method: 'GET', status: 400, replica: 'B', errorText: 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.' };
    expect(flowOutcome(hops(challenge, resourceMetadata, asMetadata, registration, authorize, toProvider, callback))).toMatchObject({
      outcome: 'broken',
      lost: 'authorize-state',
      hop: 6,
      replica: 'B',
      createdOn: 'A',
    });
  });

  it('authorize-state: a server that reports the lost state back to the redirect URI is charged to the replica that sent it there', () => {
    const callback: HopSketch = { kind: 'provider-callback', by: 'user-agent', method: 'GET', status: 302, replica: 'B' };
    const errorBack: HopSketch = { ...redirect, status: 400, errorText: 'authorization failed: server_error: Unknown or expired state' };
    expect(flowOutcome(hops(challenge, registration, authorize, callback, errorBack))).toMatchObject({ outcome: 'broken', lost: 'authorize-state', kind: 'redirect-uri', replica: 'B', createdOn: 'A' });
  });

  it('code: the code issued on one replica is unknown at the token endpoint of another', () => {
    const issuedOnA: HopSketch = { ...authorize, replica: 'A' };
    const onB: HopSketch = { ...token, status: 400, replica: 'B', errorText: '{"error":"invalid_grant","error_description":"Invalid authorization code"}' };
    expect(flowOutcome(hops(challenge, registration, issuedOnA, redirect, onB))).toMatchObject({ outcome: 'broken', lost: 'code', hop: 4, replica: 'B', createdOn: 'A' });
  });

  it('token: after a token was issued, the MCP endpoint answers 401', () => {
    const refused: HopSketch = { ...initialize, status: 401, replica: 'B', errorText: '{"error":"invalid_token","error_description":"Invalid or expired token"}' };
    expect(flowOutcome(hops(...untilToken, refused))).toMatchObject({ outcome: 'broken', lost: 'token', kind: 'initialize', replica: 'B', createdOn: 'A' });
  });

  it('session: a request with the session id from another replica is answered 404', () => {
    const gone: HopSketch = { ...list, status: 404, replica: 'B', errorText: '{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}' };
    expect(flowOutcome(hops(...untilToken, initialize, initialized, gone))).toMatchObject({ outcome: 'broken', lost: 'session', hop: 10, replica: 'B', createdOn: 'A' });
  });

  it('session: "Session terminated" in a 400 counts too, but a 404 without a session id does not', () => {
    const terminated: HopSketch = { ...call, status: 400, replica: 'B', errorText: 'Bad Request: Session terminated' };
    expect(flowOutcome(hops(...untilToken, initialize, terminated))).toMatchObject({ lost: 'session' });
    const noSession: HopSketch = { ...initialize, status: 404, errorText: 'Not Found' };
    expect(flowOutcome(hops(...untilToken, noSession))).toMatchObject({ lost: 'other', errorText: 'Not Found' });
  });

  it('other: no answer at all, with the network error kept', () => {
    const refused: HopSketch = { ...asMetadata, status: undefined, errorText: 'fetch failed: connect ECONNREFUSED 127.0.0.1:7001' };
    expect(flowOutcome(hops(challenge, resourceMetadata, refused))).toEqual({ outcome: 'broken', lost: 'other', hop: 2, kind: 'as-metadata', replica: 'A', errorText: 'fetch failed: connect ECONNREFUSED 127.0.0.1:7001' });
  });

  it('incomplete: nothing failed and no tool call was answered (the harness stopped)', () => {
    expect(flowOutcome(hops(...untilToken, initialize))).toEqual({ outcome: 'incomplete', reason: 'no hop failed, and no tool call was answered (last hop: initialize)' });
    expect(flowOutcome([])).toEqual({ outcome: 'incomplete', reason: 'no request was made' });
  });

  it('the first break wins over what the SDK does after it', () => {
    const onB: HopSketch = { ...token, status: 400, replica: 'B', errorText: '{"error":"invalid_grant","error_description":"Invalid authorization code"}' };
    expect(flowOutcome(hops(...untilToken.slice(0, -1), onB, { ...onB }))).toMatchObject({ hop: 7, lost: 'code' });
  });
});

describe('sessionStrayed', () => {
  it('no: every request of the session on the replica whose initialize made it (the 401 challenge before it, elsewhere, does not count)', () => {
    expect(sessionStrayed(hops({ ...challenge, replica: 'B' }, ...untilToken.slice(1), initialize, initialized, stream, list, call))).toBe(false);
  });

  it('yes: a request of the session reached another replica, whether it failed there or not', () => {
    expect(sessionStrayed(hops(...untilToken, initialize, { ...initialized, replica: 'B', status: 404 }))).toBe(true);
    expect(sessionStrayed(hops(...untilToken, initialize, initialized, stream, { ...list, replica: 'B' }, call))).toBe(true);
  });

  it('no session made (initialize never answered): nothing could stray', () => {
    expect(sessionStrayed(hops(...untilToken, { ...initialize, status: 500 }))).toBe(false);
  });
});
