import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, loadRemoteConfig, redirectUriForPort } from './config.ts';
import { STORE_KINDS } from './session-store.ts';
import { sessionStoreOptionsFromConfig } from './stores/create-session-store.ts';

const complete = {
  ATLASSIAN_CLIENT_ID: 'client-id',
  ATLASSIAN_CLIENT_SECRET: 'client-secret-value',
  OAUTH_REDIRECT_URI: 'http://127.0.0.1:8765/oauth/callback',
  JIRA_COMPANY_URL: 'https://acme.atlassian.net/',
  JIRA_USER_EMAIL: 'dev@acme.test',
};

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(complete);
    expect(config).toEqual({
      provider: 'atlassian',
      clientId: 'client-id',
      clientSecret: 'client-secret-value',
      redirectUri: 'http://127.0.0.1:8765/oauth/callback',
      jiraCompanyUrl: 'https://acme.atlassian.net',
      userEmail: 'dev@acme.test',
      authUrl: 'https://auth.atlassian.com',
      apiUrl: 'https://api.atlassian.com',
      sessionStore: 'atomic-file',
      // Unset: each file store applies its own default (json-file: the write-up's path).
      sessionFile: undefined,
      redisUrl: undefined,
      sessionSealKey: undefined,
      port: 0,
      httpTimeoutMs: 10_000,
    });
  });

  it('reads every optional variable', () => {
    const config = loadConfig({
      ...complete,
      ATLASSIAN_AUTH_URL: 'http://127.0.0.1:9000/',
      ATLASSIAN_API_URL: 'http://127.0.0.1:9001',
      SESSION_STORE: 'memory',
      SESSION_FILE: '/var/tmp/s.json',
      PORT: '4321',
      OAUTH_HTTP_TIMEOUT_MS: '250',
    });
    expect(config).toMatchObject({
      authUrl: 'http://127.0.0.1:9000',
      apiUrl: 'http://127.0.0.1:9001',
      sessionStore: 'memory',
      sessionFile: '/var/tmp/s.json',
      port: 4321,
      httpTimeoutMs: 250,
    });
  });

  it.each(['ATLASSIAN_CLIENT_ID', 'ATLASSIAN_CLIENT_SECRET', 'OAUTH_REDIRECT_URI', 'JIRA_COMPANY_URL', 'JIRA_USER_EMAIL'])(
    'names the missing required variable %s',
    (name) => {
      const env: Record<string, string | undefined> = { ...complete, [name]: undefined };
      const error = errorOf(() => loadConfig(env));
      expect(error.message).toBe(`Missing required environment variable ${name}`);
      expect(error.variable).toBe(name);
    },
  );

  it('counts an empty value as missing', () => {
    expect(() => loadConfig({ ...complete, ATLASSIAN_CLIENT_SECRET: '  ' })).toThrow(
      'Missing required environment variable ATLASSIAN_CLIENT_SECRET',
    );
  });

  it('lists every problem, one line each', () => {
    const error = errorOf(() => loadConfig({ ...complete, ATLASSIAN_CLIENT_ID: undefined, PORT: 'eighty' }));
    expect(error.issues.map((i) => i.variable)).toEqual(['ATLASSIAN_CLIENT_ID', 'PORT']);
    expect(error.message.split('\n')).toHaveLength(2);
  });

  it.each([
    ['SESSION_STORE', 'postgres'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['SESSION_SEAL_KEY', 'too-short'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['OAUTH_HTTP_TIMEOUT_MS', '0'],
    ['ATLASSIAN_AUTH_URL', 'not a url'],
    ['JIRA_COMPANY_URL', 'ftp://acme'],
    ['JIRA_USER_EMAIL', 'nobody'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    const error = errorOf(() => loadConfig({ ...complete, [name]: value }));
    expect(error.message).toMatch(new RegExp(`^Invalid environment variable ${name}: `));
  });

  it('never echoes the client secret in a message', () => {
    const error = errorOf(() => loadConfig({ ...complete, ATLASSIAN_CLIENT_ID: undefined }));
    expect(error.message).not.toContain(complete.ATLASSIAN_CLIENT_SECRET);
  });

  it('makes OAUTH_REDIRECT_URI optional only for a process that serves the callback', () => {
    const env = { ...complete, OAUTH_REDIRECT_URI: undefined };
    expect(() => loadConfig(env)).toThrow('Missing required environment variable OAUTH_REDIRECT_URI');
    expect(loadConfig(env, { servesCallback: true }).redirectUri).toBeUndefined();
    expect(redirectUriForPort(5555)).toBe('http://127.0.0.1:5555/oauth/callback');
  });

  it('accepts every store kind, and defaults to atomic-file (the recommendation for one host without a server)', () => {
    expect(STORE_KINDS).toEqual(['memory', 'json-file', 'atomic-file', 'sqlite', 'redis', 'sealed-state']);
    for (const kind of ['memory', 'json-file', 'atomic-file', 'sqlite']) {
      expect(loadConfig({ ...complete, SESSION_STORE: kind }).sessionStore).toBe(kind);
    }
    expect(loadConfig(complete).sessionStore).toBe('atomic-file');
    expect(CONFIG_VARIABLES.find((v) => v.name === 'SESSION_STORE')!.description).toContain(STORE_KINDS.join(' | '));
  });

  it.each([
    ['redis', 'REDIS_URL'],
    ['sealed-state', 'SESSION_SEAL_KEY'],
  ])('requires, for SESSION_STORE=%s, %s and names it', (store, variable) => {
    const error = errorOf(() => loadConfig({ ...complete, SESSION_STORE: store }));
    expect(error.message).toBe(`Missing required environment variable ${variable} (required by SESSION_STORE=${store})`);
    expect(error.variable).toBe(variable);
    expect(CONFIG_VARIABLES.find((v) => v.name === variable)).toMatchObject({ required: false, requiredWhen: `SESSION_STORE=${store}` });
  });

  it('reads REDIS_URL and SESSION_SEAL_KEY (decoded to its 32 bytes)', () => {
    const key = randomBytes(32);
    const config = loadConfig({
      ...complete,
      SESSION_STORE: 'sealed-state',
      REDIS_URL: 'rediss://:pw@cache.internal:6380/2',
      SESSION_SEAL_KEY: key.toString('base64url'),
    });
    expect(config.redisUrl).toBe('rediss://:pw@cache.internal:6380/2');
    expect(config.sessionSealKey).toEqual(key);
    expect(loadConfig({ ...complete, SESSION_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' }).sessionStore).toBe('redis');
  });

  it('never echoes REDIS_URL (it may hold a password) or SESSION_SEAL_KEY in a message', () => {
    const badKey = randomBytes(31).toString('base64url');
    const error = errorOf(() => loadConfig({ ...complete, REDIS_URL: 'mysql://u:hunter2@db', SESSION_SEAL_KEY: badKey }));
    expect(error.issues.map((i) => i.variable)).toEqual(['REDIS_URL', 'SESSION_SEAL_KEY']);
    expect(error.message).toContain('expected a redis:// or rediss:// URL');
    expect(error.message).toContain('expected 32 bytes encoded as base64url (43 characters), got 31 bytes');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain(badKey);
  });

  it('gives a tool process that does not serve the callback the callback origin for the token relay', () => {
    const key = randomBytes(32).toString('base64url');
    const env = { ...complete, SESSION_STORE: 'sealed-state', SESSION_SEAL_KEY: key, SESSION_FILE: path.join(os.tmpdir(), 'x.json') };
    const tool = sessionStoreOptionsFromConfig(loadConfig(env), { servesCallback: false });
    expect(tool).toMatchObject({ tokenRelayOrigin: 'http://127.0.0.1:8765', sessionFile: env.SESSION_FILE });
    expect(tool.sealKey).toHaveLength(32);
    expect(sessionStoreOptionsFromConfig(loadConfig(env, { servesCallback: true }), { servesCallback: true }).tokenRelayOrigin).toBeUndefined();
  });

  it('signs in with GitHub under OAUTH_PROVIDER=github: its own client variables and hosts, no Jira site', () => {
    const github = { OAUTH_PROVIDER: 'github', OAUTH_CLIENT_ID: 'gh-id', OAUTH_CLIENT_SECRET: 'gh-secret', JIRA_USER_EMAIL: 'dev@acme.test', OAUTH_REDIRECT_URI: complete.OAUTH_REDIRECT_URI };
    expect(loadConfig(github)).toMatchObject({ provider: 'github', clientId: 'gh-id', clientSecret: 'gh-secret', jiraCompanyUrl: '', authUrl: 'https://github.com', apiUrl: 'https://api.github.com' });
    expect(loadConfig({ ...github, OAUTH_AUTH_URL: 'http://127.0.0.1:9000/', OAUTH_API_URL: 'http://127.0.0.1:9000' })).toMatchObject({ authUrl: 'http://127.0.0.1:9000', apiUrl: 'http://127.0.0.1:9000' });
    expect(errorOf(() => loadConfig({ ...github, OAUTH_CLIENT_SECRET: '' })).variable).toBe('OAUTH_CLIENT_SECRET');
    // Atlassian's variables are not read for GitHub, and GitHub's not for Atlassian.
    expect(errorOf(() => loadConfig({ ...complete, OAUTH_PROVIDER: 'github' })).issues.map((i) => i.variable)).toEqual(['OAUTH_CLIENT_ID', 'OAUTH_CLIENT_SECRET']);
    expect(loadConfig({ ...complete, OAUTH_CLIENT_ID: 'ignored' }).clientId).toBe('client-id');
    expect(errorOf(() => loadConfig({ ...complete, OAUTH_PROVIDER: 'nope' })).variable).toBe('OAUTH_PROVIDER');
  });

  it('finds an OpenID provider by its issuer: defaults for the public ones, none for a generic one', () => {
    const openid = { OAUTH_CLIENT_ID: 'id', OAUTH_CLIENT_SECRET: 'secret', JIRA_USER_EMAIL: 'dev@acme.test', OAUTH_REDIRECT_URI: complete.OAUTH_REDIRECT_URI };
    expect(loadConfig({ ...openid, OAUTH_PROVIDER: 'google' })).toMatchObject({ provider: 'google', authUrl: 'https://accounts.google.com' });
    expect(loadConfig({ ...openid, OAUTH_PROVIDER: 'gitlab', OAUTH_AUTH_URL: 'https://git.acme.example/gitlab/' }).authUrl).toBe('https://git.acme.example/gitlab');
    expect(errorOf(() => loadConfig({ ...openid, OAUTH_PROVIDER: 'oidc' })).issues).toEqual([
      { variable: 'OAUTH_AUTH_URL', problem: 'Missing required environment variable OAUTH_AUTH_URL (required by OAUTH_PROVIDER=oidc: the issuer)' },
    ]);
  });

  it('documents every variable it reads', () => {
    expect(CONFIG_VARIABLES.map((v) => v.name)).toEqual([
      'OAUTH_PROVIDER',
      'ATLASSIAN_CLIENT_ID',
      'ATLASSIAN_CLIENT_SECRET',
      'OAUTH_CLIENT_ID',
      'OAUTH_CLIENT_SECRET',
      'OAUTH_REDIRECT_URI',
      'JIRA_COMPANY_URL',
      'JIRA_USER_EMAIL',
      'ATLASSIAN_AUTH_URL',
      'ATLASSIAN_API_URL',
      'OAUTH_AUTH_URL',
      'OAUTH_API_URL',
      'SESSION_STORE',
      'SESSION_FILE',
      'REDIS_URL',
      'SESSION_SEAL_KEY',
      'PUBLIC_URL',
      'AUTHORIZATION_SERVER_URL',
      'TOKEN_INTROSPECTION_URL',
      'PORT',
      'OAUTH_HTTP_TIMEOUT_MS',
    ]);
    for (const v of CONFIG_VARIABLES) expect(v.description.length).toBeGreaterThan(10);
  });
});

describe('loadRemoteConfig', () => {
  const remote = { ATLASSIAN_CLIENT_ID: 'client-id', ATLASSIAN_CLIENT_SECRET: 'client-secret-value', JIRA_COMPANY_URL: 'https://acme.atlassian.net', PUBLIC_URL: 'http://127.0.0.1:8080/' };

  it('needs PUBLIC_URL, not a user or a redirect URI, and keeps only the origin', () => {
    const config = loadRemoteConfig({ ...remote, PORT: '9000' });
    expect(config).toMatchObject({ publicUrl: 'http://127.0.0.1:8080', port: 9000, clientId: 'client-id', sessionStore: 'atomic-file' });
    expect(config).not.toHaveProperty('userEmail');
    expect(config).not.toHaveProperty('redirectUri');
    expect(errorOf(() => loadRemoteConfig({ ...remote, PUBLIC_URL: undefined })).message).toBe('Missing required environment variable PUBLIC_URL');
  });

  it.each([
    ['http://mcp.example.com', 'expected https (http only on localhost, 127.0.0.1 or [::1])'],
    ['https://mcp.example.com/mcp', 'expected an origin only (no path, query, fragment or credentials)'],
    ['not a url', 'expected an absolute URL such as https://mcp.example.com'],
  ])('refuses PUBLIC_URL=%s', (value, reason) => {
    expect(errorOf(() => loadRemoteConfig({ ...remote, PUBLIC_URL: value })).message).toBe(
      `Invalid environment variable PUBLIC_URL: ${reason}, got ${JSON.stringify(value)}`,
    );
  });

  it('reads AUTHORIZATION_SERVER_URL (a resource server only), refusing plain http off loopback and naming it', () => {
    expect(loadRemoteConfig({ ...remote, AUTHORIZATION_SERVER_URL: 'http://127.0.0.1:9000/' }).authorizationServerUrl).toBe('http://127.0.0.1:9000/');
    expect(loadRemoteConfig(remote).authorizationServerUrl).toBeUndefined();
    expect(() => loadRemoteConfig({ ...remote, AUTHORIZATION_SERVER_URL: 'http://auth.example.com' })).toThrow(/AUTHORIZATION_SERVER_URL: expected https/);
    expect(loadRemoteConfig({ ...remote, AUTHORIZATION_SERVER_URL: 'https://auth.example.com', TOKEN_INTROSPECTION_URL: 'https://auth.example.com/introspect' }).introspectionUrl).toBe('https://auth.example.com/introspect');
    expect(() => loadRemoteConfig({ ...remote, TOKEN_INTROSPECTION_URL: 'https://auth.example.com/introspect' })).toThrow(/set AUTHORIZATION_SERVER_URL too/);
  });

  it('accepts an https public URL on any host', () => {
    expect(loadRemoteConfig({ ...remote, PUBLIC_URL: 'https://mcp.example.com' }).publicUrl).toBe('https://mcp.example.com');
  });
});
