/**
 * init's reader on small synthetic servers: each signal in the forms real
 * servers write it, and what it must not take for one.
 */
import { describe, expect, test } from 'vitest';
import { findEntryPoints } from './entry-points.ts';
import { readEnvVariables, readStoreSelection } from './env-variables.ts';
import { readHttpRoutes } from './http-routes.ts';
import { readPageTexts } from './page-texts.ts';
import { readProviderHosts } from './provider-hosts.ts';
import { readServer } from './read-server.ts';
import type { SourceFile } from './source-files.ts';
import { readTools } from './start-tool.ts';
import { guessFixedStore, reachOfName } from './store-guess.ts';

const file = (path: string, text: string): SourceFile => ({ path, text });

describe('entry points', () => {
  const stdioServer = file('src/server.ts', "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nexport function runTool() { const s = new McpServer({}); return s.connect(new StdioServerTransport()); }");
  const httpServer = file('src/http.ts', "import http from 'node:http';\nexport function runCallback() { http.createServer(() => {}).listen(0); }");

  test('a file no other imports is an entry; what it reaches gives its role', () => {
    const roles = findEntryPoints([
      stdioServer,
      httpServer,
      file('src/tool.ts', "import { runTool } from './server.js';\nrunTool();"),
      file('src/callback.ts', "import { runCallback } from './http.ts';\nrunCallback();"),
      file('src/both.ts', "import { runTool } from './server.ts';\nimport { runCallback } from './http.ts';\nrunCallback(); runTool();"),
    ]);
    expect([roles.tool?.file, roles.callback?.file, roles.both?.file]).toEqual(['src/tool.ts', 'src/callback.ts', 'src/both.ts']);
    expect(roles.factory).toBeUndefined();
  });

  test('a default-export factory with no transport is a module for launch; the flag that starts its HTTP server is read', () => {
    const roles = findEntryPoints([
      file('server.ts', "import { start } from './http';\nexport default function createServer({ config }) { return new McpServer({ name: 'x' }); }\nif (process.argv.includes('--serve-http')) start();"),
      file('http.ts', 'export function start() { app.listen(3000); }'),
    ]);
    expect(roles.factory).toMatchObject({ file: 'server.ts', httpFlag: '--serve-http', factory: true });
    expect(roles.tool).toBeUndefined();
  });

  test("the package's bin is preferred among several stdio entries, through its build output path", () => {
    const roles = findEntryPoints([file('src/a.ts', 'new StdioServerTransport()'), file('src/index.ts', 'new StdioServerTransport()')], { bin: { srv: './dist/index.js' } });
    expect(roles.tool?.file).toBe('src/index.ts');
  });

  test('Streamable HTTP is a remote server', () => {
    expect(findEntryPoints([file('remote.ts', 'new StreamableHTTPServerTransport({}); app.listen(1)')]).remote?.file).toBe('remote.ts');
  });
});

describe('environment variables', () => {
  test('dotted, bracketed, destructured and handed to a helper that reads process.env[name]; roles by name', () => {
    const env = readEnvVariables([
      file('a.ts', "const id = process.env.ACME_CLIENT_ID; const s = process.env['ACME_CLIENT_SECRET'];\nconst { ACME_PORT, LOG_LEVEL } = process.env;"),
      file('b.ts', "function need(name: string) { const v = process.env[name]; if (!v) throw new Error(name); return v; }\nconst r = need('ACME_REDIRECT_URI');\nfetch(url, { method: 'POST' }); label('NOT_AN_ENV');"),
    ]);
    expect(env).toEqual([
      { name: 'ACME_CLIENT_ID', role: 'clientId' },
      { name: 'ACME_CLIENT_SECRET', role: 'clientSecret' },
      { name: 'ACME_PORT', role: 'port' },
      { name: 'ACME_REDIRECT_URI', role: 'redirectUri' },
      { name: 'LOG_LEVEL', role: 'harness' },
    ]);
  });

  test('a table of variables handed process.env elsewhere, its store entry with a default and its values in a named array', () => {
    const files = [
      file('config.ts', "export const VARIABLES = [\n  { name: 'ACME_CLIENT_ID', required: true, description: 'id' },\n  {\n    name: 'ACME_STORE',\n    required: false,\n    default: 'file',\n    description: `one of ${STORE_KINDS.join(' | ')}`,\n  },\n  { name: 'REDIS_URL', requiredWhen: 'ACME_STORE=redis', description: 'url' },\n];"),
      file('kinds.ts', "export const STORE_KINDS = ['memory', 'file', 'redis'] as const;"),
      file('main.ts', 'loadConfig(process.env);'),
    ];
    expect(readEnvVariables(files).map((v) => v.name)).toEqual(['ACME_CLIENT_ID', 'ACME_STORE', 'REDIS_URL']);
    expect(readStoreSelection('ACME_STORE', files)).toEqual({ variable: 'ACME_STORE', values: ['file', 'memory', 'redis'], defaultValue: 'file' });
  });

  test('a store variable: the values it is compared with, and the one it means when unset', () => {
    const files = [file('s.ts', "export function pick(value = process.env.SESSION_BACKEND) {\n  if (value === undefined || value === '' || value === 'map') return new A();\n  if (value === 'file') return new B();\n  switch (value) { case 'redis': return new C(); }\n}")];
    expect(readStoreSelection('SESSION_BACKEND', files)).toEqual({ variable: 'SESSION_BACKEND', values: ['map', 'file', 'redis'], defaultValue: 'map' });
    expect(readStoreSelection('STORE', [file('t.ts', "const kind = process.env.STORE ?? 'sqlite'; if (kind === 'memory') {}")])).toMatchObject({ defaultValue: 'sqlite', values: ['sqlite', 'memory'] });
  });
});

describe('routes, hosts, tools', () => {
  test('the callback and health routes, in express and node:http forms', () => {
    expect(readHttpRoutes([file('a.ts', "app.get('/auth/callback', cb); app.get('/healthz', ok); app.get('/authorize', x);")])).toMatchObject({ callbackPath: '/auth/callback', healthPath: '/healthz' });
    expect(readHttpRoutes([file('b.ts', "if (url.pathname === '/oauth/return') finish(); switch (req.url) { case '/ping': ok(); }")])).toMatchObject({ callbackPath: '/oauth/return', healthPath: '/ping' });
    expect(readHttpRoutes([file('c.ts', "app.get('/', home);")]).callbackPath).toBeUndefined();
  });

  test("Atlassian's hosts are the mock's; another provider's are named", () => {
    expect(readProviderHosts([file('a.ts', "const A = 'https://auth.atlassian.com/authorize'; const H = 'api.atlassian.com';")])).toEqual({ mocked: ['auth.atlassian.com', 'api.atlassian.com'], others: [] });
    expect(readProviderHosts([file('b.ts', "fetch('https://github.com/login/oauth/access_token')")])).toEqual({ mocked: [], others: ['github.com'] });
  });

  test('the tool that starts the flow, not the one that reports on it', () => {
    expect(readTools([file('t.ts', "server.registerTool('oauth_status', {}, f); server.registerTool('start_oauth', {}, g); server.tool('search', {}, h);")])).toEqual({ all: ['oauth_status', 'start_oauth', 'search'], startFlow: 'start_oauth' });
    expect(readTools([file('t.ts', "server.tool('connect_github', {}, f)")]).startFlow).toBe('connect_github');
    expect(readTools([file('t.ts', "server.tool('search', {}, f)")]).startFlow).toBeUndefined();
  });
});

describe('page texts', () => {
  test('headings first; the unknown-state text, a failure, an expired page of its own', () => {
    const pages = readPageTexts([
      file('pages.ts', "const OK = '<html><h1>Authorization complete</h1><p>You may close this tab.</p></html>';\nconst BAD = `<h1>Authorization failed</h1><p>${why}</p>`;\nconst OLD = 'Your sign-in expired after 10 minutes, start again.';"),
      file('oauth.ts', "throw new Error('Unknown or mismatched state parameter in the callback');"),
    ]);
    expect(pages).toEqual({
      success: 'Authorization complete',
      failure: 'Authorization failed',
      invalidState: 'Unknown or mismatched state parameter in the callback',
      expired: 'Your sign-in expired after 10 minutes, start again.',
    });
  });

  test('no page text at all is no guess', () => {
    expect(readPageTexts([file('a.ts', 'export const x = 1;')])).toEqual({});
  });
});

describe('stores', () => {
  test('reach from a plain name, none from an unclear one', () => {
    expect(['map', 'file', 'redis', 'sqlite', 'atomic-file', 'sealed-state', 'vault'].map(reachOfName)).toEqual(['process', 'host', 'hosts', 'host', 'host', 'hosts', undefined]);
  });

  test('a fixed store guessed from what the code uses', () => {
    expect(guessFixedStore([file('a.ts', "import Redis from 'ioredis';")]).reach).toBe('hosts');
    expect(guessFixedStore([file('a.ts', "writeFileSync(path.join(os.tmpdir(), 'x.json'), s)")]).reach).toBe('host');
    expect(guessFixedStore([file('a.ts', 'const sessions = new Map();')]).reach).toBe('process');
  });

  test('readServer: a store variable with values wins over a guess; config keys the factory reads', () => {
    const reading = readServer(
      [file('index.ts', "export default function createServer({ config }) { const s = new McpServer({}); use(config.site); return s; }\nconst b = process.env.OAUTH_BACKEND === 'file' ? 1 : 0;")],
      { name: '@acme/jira-mcp' },
      'folder',
    );
    expect(reading).toMatchObject({ name: '@acme/jira-mcp', storeSelection: { variable: 'OAUTH_BACKEND', values: ['file'] }, factoryConfigKeys: ['site'] });
    expect(reading.fixedStore).toBeUndefined();
  });
});
