/**
 * haproxy.cfg from a balancer description: each policy's lines, the
 * served-by header on every response, the runtime socket, and every bad
 * input refused with the field it is about. That haproxy itself accepts
 * each policy's text is checked with `haproxy -c` in haproxy-balancer.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { BalancerDescriptionError, MAX_RUNTIME_SOCKET_PATH_BYTES, type BalancerDescription } from './balancer-description.ts';
import { haproxyConfig } from './haproxy-config.ts';

const base: BalancerDescription = {
  frontendPort: 8080,
  policy: 'roundrobin',
  replicas: [
    { name: 'replica-1', host: '127.0.0.1', port: 9001 },
    { name: 'replica-2', host: '127.0.0.1', port: 9002 },
  ],
  runtimeSocketPath: '/tmp/run/haproxy.sock',
};

/** The backend section's lines, trimmed: where the policies differ. */
function backend(config: string): string[] {
  return config
    .slice(config.indexOf('\nbackend replicas') + 1)
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter(Boolean);
}

function refusal(description: unknown): BalancerDescriptionError {
  try {
    haproxyConfig(description as BalancerDescription);
  } catch (error) {
    if (error instanceof BalancerDescriptionError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('haproxy.cfg per policy', () => {
  it('roundrobin: balance roundrobin, a server line per replica', () => {
    expect(backend(haproxyConfig(base))).toEqual(['balance roundrobin', 'server replica-1 127.0.0.1:9001', 'server replica-2 127.0.0.1:9002']);
  });

  it('source: a consistent hash of the client address (a static hash would refuse add server)', () => {
    expect(backend(haproxyConfig({ ...base, policy: 'source' }))).toEqual([
      'balance source',
      'hash-type consistent',
      'server replica-1 127.0.0.1:9001',
      'server replica-2 127.0.0.1:9002',
    ]);
  });

  it('sticky-cookie: an inserted cookie whose value is the replica name, dynamic cookies for replicas added later', () => {
    expect(backend(haproxyConfig({ ...base, policy: 'sticky-cookie' }))).toEqual([
      'balance roundrobin',
      'cookie SERVERID insert indirect nocache dynamic',
      'dynamic-cookie-key oauth-state-repro',
      'server replica-1 127.0.0.1:9001 cookie replica-1',
      'server replica-2 127.0.0.1:9002 cookie replica-2',
    ]);
  });

  it('session-header-hash: a consistent hash of Mcp-Session-Id', () => {
    expect(backend(haproxyConfig({ ...base, policy: 'session-header-hash' }))).toEqual([
      'balance hdr(Mcp-Session-Id)',
      'hash-type consistent',
      'server replica-1 127.0.0.1:9001',
      'server replica-2 127.0.0.1:9002',
    ]);
  });

  it('session-affinity: round-robin, and a stick table learnt from the responses that carry a new Mcp-Session-Id', () => {
    expect(backend(haproxyConfig({ ...base, policy: 'session-affinity' }))).toEqual([
      'balance roundrobin',
      'stick-table type string len 128 size 100k expire 24h',
      'stick on req.hdr(Mcp-Session-Id)',
      'stick store-response res.hdr(Mcp-Session-Id)',
      'server replica-1 127.0.0.1:9001',
      'server replica-2 127.0.0.1:9002',
    ]);
  });

  it('an IPv6 replica is written in brackets', () => {
    expect(haproxyConfig({ ...base, replicas: [{ name: 'six', host: '::1', port: 9003 }] })).toContain('server six [::1]:9003\n');
  });
});

describe('haproxy.cfg, whatever the policy', () => {
  const config = haproxyConfig(base);

  it('listens on loopback only, at the given port', () => {
    expect(config).toMatch(/^ {2}bind 127\.0\.0\.1:8080$/m);
    expect(config.match(/^\s*bind /gm)).toHaveLength(1);
  });

  it('names the replica on every response, haproxy’s own errors included, and <NOSRV> when none had a part', () => {
    expect(config).toContain('http-after-response set-header x-served-by "%[srv_name]" if { srv_name -m found }');
    expect(config).toContain('http-after-response set-header x-served-by "<NOSRV>" unless { srv_name -m found }');
    expect(haproxyConfig({ ...base, servedByHeader: 'x-replica' })).toContain('set-header x-replica "%[srv_name]"');
  });

  it('opens the runtime API at admin level on the given socket, readable by its owner only', () => {
    expect(config).toContain('stats socket /tmp/run/haproxy.sock mode 600 level admin');
  });

  it('writes the timeouts in milliseconds, defaults filled in', () => {
    const custom = haproxyConfig({ ...base, timeouts: { serverMs: 1234 } });
    expect(custom).toContain('timeout server 1234ms');
    expect(custom).toContain('timeout connect 2000ms');
    expect(custom).toContain('timeout http-request 10000ms');
  });

  it('is the same text for the same description', () => {
    expect(haproxyConfig(base)).toBe(config);
  });
});

describe('a bad description is refused, naming the field', () => {
  it.each([
    ['frontendPort', { ...base, frontendPort: 0 }],
    ['frontendPort', { ...base, frontendPort: 70_000 }],
    ['frontendPort', { ...base, frontendPort: 80.5 }],
    ['policy', { ...base, policy: 'least-connections' }],
    ['replicas', { ...base, replicas: [] }],
    ['replicas', { ...base, replicas: undefined }],
    ['replicas[1].name', { ...base, replicas: [base.replicas[0], { ...base.replicas[1], name: 'has space' }] }],
    ['replicas[0].name', { ...base, replicas: [{ ...base.replicas[0], name: 'be/r1' }] }],
    ['replicas[0].name', { ...base, replicas: [{ ...base.replicas[0], name: '<NOSRV>' }] }],
    ['replicas[0].name', { ...base, replicas: [{ ...base.replicas[0], name: '' }] }],
    ['replicas[1].name', { ...base, replicas: [base.replicas[0], { ...base.replicas[1], name: 'replica-1' }] }],
    ['replicas[0].host', { ...base, replicas: [{ ...base.replicas[0], host: 'localhost' }] }],
    ['replicas[0].port', { ...base, replicas: [{ ...base.replicas[0], port: 0 }] }],
    ['replicas[0].port', { ...base, replicas: [{ ...base.replicas[0], port: '9001' }] }],
    ['servedByHeader', { ...base, servedByHeader: 'x served by' }],
    ['timeouts.clientMs', { ...base, timeouts: { clientMs: 0 } }],
    ['timeouts.connectMs', { ...base, timeouts: { connectMs: 1.5 } }],
    ['runtimeSocketPath', { ...base, runtimeSocketPath: 'relative.sock' }],
    ['runtimeSocketPath', { ...base, runtimeSocketPath: '/tmp/with space/haproxy.sock' }],
  ])('%s', (field, description) => {
    const error = refusal(description);
    expect(error.code).toBe('balancer_description_invalid');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^balancer: ${field.replace(/[[\].]/g, '\\$&')} must be `));
  });

  it('a runtime socket path longer than haproxy 2.6 takes, with the limit and what to do', () => {
    const longest = `/${'a'.repeat(MAX_RUNTIME_SOCKET_PATH_BYTES - 1)}`;
    expect(() => haproxyConfig({ ...base, runtimeSocketPath: longest })).not.toThrow();
    const error = refusal({ ...base, runtimeSocketPath: `${longest}b` });
    expect(error.message).toContain('at most 97 bytes');
    expect(error.message).toContain('shorter run folder');
  });

  it('quotes what came and what was expected', () => {
    const error = refusal({ ...base, replicas: [{ ...base.replicas[0], port: -1 }] });
    expect(error.message).toBe('balancer: replicas[0].port must be an integer port from 1 to 65535, got -1');
    expect(error.expected).toBe('an integer port from 1 to 65535');
    expect(error.actual).toBe(-1);
  });
});

describe('replicas behind unix sockets', () => {
  it('a socket replica is a unix@ address; TCP and socket replicas mix in one backend', () => {
    const config = haproxyConfig({ ...base, replicas: [{ name: 'a', socket: '/tmp/run/a-3000.sock' }, base.replicas[1]!] });
    expect(backend(config)).toEqual(['balance roundrobin', 'server a unix@/tmp/run/a-3000.sock', 'server replica-2 127.0.0.1:9002']);
  });

  it('a relative socket path, or one haproxy.cfg would split, is refused with its field', () => {
    expect(refusal({ ...base, replicas: [{ name: 'a', socket: 'run/a.sock' }] }).field).toBe('replicas[0].socket');
    expect(refusal({ ...base, replicas: [{ name: 'a', socket: '/tmp/my run/a.sock' }] }).field).toBe('replicas[0].socket');
  });
});

describe('headers set on every request', () => {
  it('each is a set-header line of the frontend', () => {
    const config = haproxyConfig({ ...base, requestHeaders: { Authorization: 'Bearer abc.def-123' } });
    expect(config).toContain('  http-request set-header Authorization "Bearer abc.def-123"\n');
  });

  it('a value that would end or unquote the line is refused with its field', () => {
    expect(refusal({ ...base, requestHeaders: { Authorization: 'Bearer "x' } }).field).toBe('requestHeaders.Authorization');
    expect(refusal({ ...base, requestHeaders: { Authorization: 'Bearer x\nbackend' } }).field).toBe('requestHeaders.Authorization');
    expect(refusal({ ...base, requestHeaders: { 'Bad Name': 'x' } }).field).toBe('requestHeaders');
  });
});
