/**
 * The remote flow driver against the MCP SDK's own example server with MCP
 * authorization, unmodified: one instance completes the whole flow; two
 * instances, with one hop sent to the other, break at that hop, and the
 * driver names the hop, what was lost and the instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllChildren } from '../process/child-process.ts';
import type { HopKind } from './hop.ts';
import type { HopRoute } from './recording-fetch.ts';
import { runRemoteFlow } from './remote-flow.ts';
import { startSdkExampleServer, type SdkExampleServer } from './test-fixtures/sdk-example-server.ts';

const logDir = mkdtempSync(path.join(os.tmpdir(), 'remote-flow-test-'));
let a: SdkExampleServer;
let b: SdkExampleServer;

beforeAll(async () => {
  [a, b] = await Promise.all([startSdkExampleServer({ name: 'sdk-example-a', logDir }), startSdkExampleServer({ name: 'sdk-example-b', logDir })]);
});
afterAll(async () => {
  await stopAllChildren({ graceMs: 500 });
  rmSync(logDir, { recursive: true, force: true });
});

const names = () => ({ [a.mcpOrigin]: 'A', [a.authOrigin]: 'A', [b.mcpOrigin]: 'B', [b.authOrigin]: 'B' });
const greet = { name: 'greet', arguments: { name: 'remote flow' } };

/** Requests of one kind sent to the same path on another origin: what a balancer does when it picks another replica. */
const sendTo = (kind: HopKind, origin: () => string): HopRoute => (request) => (request.kind === kind ? new URL(request.url.pathname + request.url.search, origin()) : undefined);

describe('a remote flow against the SDK example server', () => {
  it('one instance: the whole flow completes, hop by hop', async () => {
    const flow = await runRemoteFlow({ mcpUrl: a.mcpUrl, toolCall: greet, replicaByOrigin: names() });
    expect(flow.clientError).toBeUndefined();
    expect(flow.outcome).toEqual({ outcome: 'completed' });
    expect(flow.toolResult).toEqual({ isError: false, text: 'Hello, remote flow!' });
    expect(flow.tools).toContain('greet');
    // The optional GET stream runs beside the requests: its place in the order is not the server's to keep.
    const steps = flow.hops.filter((hop) => hop.method !== 'GET' || hop.by === 'user-agent' || hop.kind !== 'other').map((hop) => `${hop.kind} ${hop.method} ${hop.status} ${hop.replica ?? '-'}${hop.rpc ? ` ${hop.rpc}` : ''}`);
    expect(steps).toEqual([
      'initialize POST 401 A initialize',
      'resource-metadata GET 200 A',
      'as-metadata GET 200 A',
      'registration POST 201 A',
      'authorize GET 302 A',
      'redirect-uri GET 200 -',
      // finishAuth discovers again before redeeming the code: the provider keeps no discovery state, as the SDK allows.
      'resource-metadata GET 200 A',
      'as-metadata GET 200 A',
      'token POST 200 A',
      'initialize POST 200 A initialize',
      'other POST 202 A notifications/initialized',
      'other POST 200 A tools/list',
      'tool-call POST 200 A tools/call',
    ]);
    const authorize = flow.hops.find((hop) => hop.kind === 'authorize')!;
    expect(authorize.url).toMatch(/code_challenge_method=S256/);
    expect(authorize.url).toContain(`resource=${encodeURIComponent(a.mcpUrl.toString())}`);
    // The code and state the server sent the browser back with are recorded cut, never whole.
    expect(authorize.location).toMatch(/\?code=[^&]{4}…\(36\)&state=[^&]{4}…\(43\)$/);
  });

  it('a second flow reusing the first one\'s registration makes no registration request and completes', async () => {
    const first = await runRemoteFlow({ mcpUrl: a.mcpUrl, toolCall: greet, replicaByOrigin: names() });
    expect(first.registration?.client_id).toEqual(expect.any(String));
    const second = await runRemoteFlow({ mcpUrl: a.mcpUrl, toolCall: greet, replicaByOrigin: names(), registration: first.registration });
    expect(second.outcome).toEqual({ outcome: 'completed' });
    expect(second.hops.map((hop) => hop.kind)).not.toContain('registration');
    expect(second.registration?.client_id).toBe(first.registration!.client_id);
  });

  it('registered on A, authorized on B: broken at authorize on B, the client unknown there', async () => {
    const flow = await runRemoteFlow({ mcpUrl: a.mcpUrl, toolCall: greet, replicaByOrigin: names(), route: sendTo('authorize', () => b.authOrigin) });
    expect(flow.outcome).toEqual({
      outcome: 'broken',
      lost: 'registration',
      hop: 4,
      kind: 'authorize',
      status: 400,
      replica: 'B',
      createdOn: 'A',
      errorText: '{"error":"invalid_client","error_description":"Invalid client_id"}',
    });
    expect(flow.hops[4]).toMatchObject({ sentTo: b.authOrigin, url: expect.stringContaining(a.authOrigin) });
    expect(flow.toolResult).toBeUndefined();
  });

  it('authorized on A, code redeemed at B: broken at token on B, the client unknown there', async () => {
    const flow = await runRemoteFlow({ mcpUrl: a.mcpUrl, toolCall: greet, replicaByOrigin: names(), route: sendTo('token', () => b.authOrigin) });
    expect(flow.outcome).toMatchObject({ outcome: 'broken', lost: 'registration', kind: 'token', status: 400, replica: 'B', createdOn: 'A' });
    expect(flow.clientError).toMatch(/client information is required|Invalid client_id/);
  });

  it('token issued by A, tool call sent to B: broken at the tool call on B, which answers an unknown token with 500, so what was lost stays unnamed', async () => {
    const flow = await runRemoteFlow({ mcpUrl: a.mcpUrl, toolCall: greet, replicaByOrigin: names(), route: sendTo('tool-call', () => b.mcpOrigin) });
    // The example's token verifier throws a plain Error on B's "Invalid or expired token", which the SDK's bearer middleware turns into a 500.
    expect(flow.outcome).toEqual({
      outcome: 'broken',
      lost: 'other',
      hop: expect.any(Number),
      kind: 'tool-call',
      status: 500,
      replica: 'B',
      errorText: '{"error":"server_error","error_description":"Internal Server Error"}',
    });
    expect(flow.tools).toContain('greet');
  });
});
