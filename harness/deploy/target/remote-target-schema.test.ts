/**
 * A remote server's description (`remote`, in a target file or alone with
 * defineRemoteTarget) checked before any replica starts: a complete one
 * passes, each mistake is one line naming the field (remote.publicUrl,
 * remote.oauth.providerCallbackPath, ...), an unknown field is refused
 * rather than taken for an optional one left out; and resolveRemoteServer
 * fills in the defaults the deployment reads.
 */
import { describe, expect, it } from 'vitest';
import { resolveRemoteServer } from './remote-target-description.ts';
import type { RemoteInputs, RemoteServer, RemoteTargetFile } from './remote-target-file.ts';
import { describeSchemaIssue, REMOTE_TARGET_FILE_FIELDS, remoteServerSchema, remoteTargetFileSchema } from './target-schema.ts';

/** Like fixtures/targets/sdk-example-remote/target.ts, without resolving the SDK's package path. */
const remote: RemoteServer = {
  command: 'node',
  args: ['/opt/sdk/dist/esm/examples/server/simpleStreamableHttp.js', '--oauth'],
  env: (input) => ({ MCP_PORT: input.ports.mcp!, MCP_AUTH_PORT: input.ports.auth! }),
  ready: [
    { kind: 'log-line', stream: 'stdout', pattern: /MCP Streamable HTTP Server listening on port/ },
    { kind: 'log-line', stream: 'stdout', pattern: /OAuth Authorization Server listening on port/ },
  ],
  listeners: ['mcp', 'auth'],
  mcpPath: '/mcp',
  publicUrl: 'own-port',
  oauth: { role: 'authorization-server' },
  toolCall: { name: 'greet', arguments: { name: 'oauth-state-repro' } },
};

const target: RemoteTargetFile = {
  name: 'MCP TypeScript SDK example server (simpleStreamableHttp --oauth)',
  remote,
  stores: { memory: { reach: 'process' } },
};

/** The one line a person reads for a refused target, or undefined when it passes. */
/** The message the loader gives (load-target.ts names the remote-only fields for its guesses). */
function problem(value: unknown): string | undefined {
  const parsed = remoteTargetFileSchema.safeParse(value);
  return parsed.success ? undefined : describeSchemaIssue(parsed.error, value, REMOTE_TARGET_FILE_FIELDS);
}

/** The first issue's path of a refused target. */
function pathOf(value: unknown): (string | number)[] {
  const parsed = remoteTargetFileSchema.safeParse(value);
  if (parsed.success) throw new Error('accepted');
  return parsed.error.issues[0]!.path;
}

const withRemote = (changes: Record<string, unknown>) => ({ ...target, remote: { ...remote, ...changes } });

describe('remoteTargetFileSchema', () => {
  it('a complete remote-only target passes', () => {
    expect(problem(target)).toBeUndefined();
  });

  it('a minimal one passes too: one readiness, not a list; no listeners, path or tool arguments; a proxy with its callback path', () => {
    const minimal = { name: 'their proxy', remote: { command: 'node', env: () => ({}), ready: { kind: 'http', path: '/health' }, publicUrl: 'from-env', oauth: { role: 'proxy', providerCallbackPath: '/oauth/callback' }, toolCall: { name: 'whoami' } }, stores: { redis: { reach: 'hosts', needsRedis: true } }, defaultStore: 'redis' };
    expect(problem(minimal)).toBeUndefined();
  });

  it("publicUrl: 'env' (a typo) is refused, naming remote.publicUrl and what it may be", () => {
    expect(pathOf(withRemote({ publicUrl: 'env' }))).toEqual(['remote', 'publicUrl']);
    expect(problem(withRemote({ publicUrl: 'env' }))).toMatch(/^remote\.publicUrl: .*'from-env' \| 'own-port'/);
  });

  it('a proxy without providerCallbackPath is refused, naming remote.oauth.providerCallbackPath', () => {
    expect(pathOf(withRemote({ oauth: { role: 'proxy' } }))).toEqual(['remote', 'oauth', 'providerCallbackPath']);
    expect(problem(withRemote({ oauth: { role: 'proxy' } }))).toBe('remote.oauth.providerCallbackPath: Required');
  });

  it('a providerCallbackPath that is not a path is refused', () => {
    expect(problem(withRemote({ oauth: { role: 'proxy', providerCallbackPath: 'callback' } }))).toBe('remote.oauth.providerCallbackPath: expected a path starting with /');
  });

  it('duplicate listener names are refused, naming remote.listeners', () => {
    expect(problem(withRemote({ listeners: ['mcp', 'auth', 'mcp'] }))).toBe('remote.listeners: expected names that differ');
  });

  it('no listener at all, or a name that is not lowercase, is refused', () => {
    expect(pathOf(withRemote({ listeners: [] }))).toEqual(['remote', 'listeners']);
    expect(pathOf(withRemote({ listeners: ['mcp', 'Auth'] }))).toEqual(['remote', 'listeners', 1]);
  });

  it('ready: [] is refused, naming remote.ready and saying a readiness is needed', () => {
    expect(pathOf(withRemote({ ready: [] }))).toEqual(['remote', 'ready']);
    expect(problem(withRemote({ ready: [] }))).toBe('remote.ready: expected at least one readiness');
  });

  it('an mcpPath that is not a path is refused', () => {
    expect(problem(withRemote({ mcpPath: 'mcp' }))).toBe('remote.mcpPath: expected a path starting with /');
  });

  it('an unknown top-level field is refused, the message naming it', () => {
    const message = problem({ ...target, timeout: 5000 });
    expect(message).toMatch(/^\(the target\): unknown field\(s\) /);
    expect(message).toContain('"timeout"');
  });

  it('a misspelled required field is named with the field it was meant to be', () => {
    const { remote: _remote, ...rest } = target;
    expect(problem({ ...rest, remot: remote })).toBe('(the target): unknown field(s) "remot" (did you mean "remote"?)');
    expect(problem({ ...target, defaultstore: 'memory' })).toBe('(the target): unknown field(s) "defaultstore" (did you mean "defaultStore"?)');
  });

  it('an unknown top-level field is not said to be a stdio target\'s field, which a remote-only target may not have either', () => {
    // `port` is a field of a stdio target file: suggesting it here would send the person to another refusal.
    expect(problem({ ...target, ports: { mcp: 8080 } })).toBe('(the target): unknown field(s) "ports"');
  });

  it('an unknown field of remote is refused, naming remote', () => {
    expect(problem(withRemote({ mcpPth: '/mcp' }))).toMatch(/^remote: unknown field\(s\) "mcpPth"/);
  });

  it('a defaultStore that is not one of stores is refused, naming them', () => {
    expect(problem({ ...target, defaultStore: 'redis' })).toBe('defaultStore: "redis" is not one of stores (memory)');
  });

  it('no stores at all is refused', () => {
    expect(pathOf({ ...target, stores: {} })).toEqual(['stores']);
  });
});

describe('remoteServerSchema', () => {
  it('checks the remote server alone, with paths relative to it', () => {
    expect(remoteServerSchema.safeParse(remote).success).toBe(true);
    const parsed = remoteServerSchema.safeParse({ ...remote, publicUrl: 'env' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['publicUrl']);
  });

  it('refuses an env that is not a function, and a tool call without a name', () => {
    expect(remoteServerSchema.safeParse({ ...remote, env: { MCP_PORT: '1' } }).error!.issues[0]!.path).toEqual(['env']);
    expect(remoteServerSchema.safeParse({ ...remote, toolCall: { name: '' } }).error!.issues[0]!.path).toEqual(['toolCall', 'name']);
  });
});

describe('resolveRemoteServer', () => {
  const inputs = { ports: { mcp: '8080', auth: '8081' } } as unknown as RemoteInputs;

  it('fills the defaults: listeners [mcp], mcpPath /mcp, no args, readiness as a list, tool arguments {}', () => {
    const readiness = { kind: 'http', path: '/health' } as const;
    const resolved = resolveRemoteServer({ command: 'node', env: () => ({ PORT: '1' }), ready: readiness, publicUrl: 'from-env', oauth: { role: 'proxy', providerCallbackPath: '/callback' }, toolCall: { name: 'whoami' } });
    expect(resolved.listeners).toEqual(['mcp']);
    expect(resolved.mcpPath).toBe('/mcp');
    expect(resolved.args).toEqual([]);
    expect(resolved.ready).toEqual([readiness]);
    expect(resolved.toolCall).toEqual({ name: 'whoami', arguments: {} });
    expect(resolved.publicUrl).toBe('from-env');
    expect(resolved.oauth).toEqual({ role: 'proxy', providerCallbackPath: '/callback' });
    expect(resolved.env(inputs)).toEqual({ PORT: '1' });
  });

  it('keeps what is given', () => {
    const resolved = resolveRemoteServer(remote);
    expect(resolved.listeners).toEqual(['mcp', 'auth']);
    expect(resolved.args).toEqual(remote.args);
    expect(resolved.ready).toEqual(remote.ready);
    expect(resolved.toolCall).toEqual({ name: 'greet', arguments: { name: 'oauth-state-repro' } });
    expect(resolved.env(inputs)).toEqual({ MCP_PORT: '8080', MCP_AUTH_PORT: '8081' });
  });
});

describe('readiness a remote replica can give', () => {
  it("is refused, naming the readiness, when it is a stdio tool's or polls a port an own-port replica does not listen on", () => {
    const bad = (ready: unknown, publicUrl = 'from-env') => remoteServerSchema.safeParse({ command: 'node', env: () => ({}), ready, publicUrl, oauth: { role: 'authorization-server' }, toolCall: { name: 'greet' } });
    expect(bad({ kind: 'mcp-initialize' }).error?.issues[0]).toMatchObject({ path: ['ready'], message: expect.stringContaining('stdio tool') });
    expect(bad([{ kind: 'log-line', stream: 'stdout', pattern: /x/ }, { kind: 'http', path: '/health' }], 'own-port').error?.issues[0]).toMatchObject({ path: ['ready', 1], message: expect.stringContaining('own-port') });
    expect(bad({ kind: 'http', path: '/health' }).success).toBe(true);
  });
});
