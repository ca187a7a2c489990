import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, redirectUriForPort } from './config.ts';

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
      clientId: 'client-id',
      clientSecret: 'client-secret-value',
      redirectUri: 'http://127.0.0.1:8765/oauth/callback',
      jiraCompanyUrl: 'https://acme.atlassian.net',
      userEmail: 'dev@acme.test',
      authUrl: 'https://auth.atlassian.com',
      apiUrl: 'https://api.atlassian.com',
      sessionStore: 'json-file',
      sessionFile: `${os.tmpdir()}/jira-oauth-sessions.json`,
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
    ['SESSION_STORE', 'redis'],
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

  it('documents every variable it reads', () => {
    expect(CONFIG_VARIABLES.map((v) => v.name)).toEqual([
      'ATLASSIAN_CLIENT_ID',
      'ATLASSIAN_CLIENT_SECRET',
      'OAUTH_REDIRECT_URI',
      'JIRA_COMPANY_URL',
      'JIRA_USER_EMAIL',
      'ATLASSIAN_AUTH_URL',
      'ATLASSIAN_API_URL',
      'SESSION_STORE',
      'SESSION_FILE',
      'PORT',
      'OAUTH_HTTP_TIMEOUT_MS',
    ]);
    for (const v of CONFIG_VARIABLES) expect(v.description.length).toBeGreaterThan(10);
  });
});
