/**
 * The file init writes: what it settled as fields, what it could not as a
 * TODO above the field (and the same line for the terminal), and the
 * unknown-state TODO replaced by what the running callback answered.
 */
import { describe, expect, test } from 'vitest';
import { readServer } from './read-server.ts';
import type { SourceFile } from './source-files.ts';
import { renderTarget, settleUnknownState, UNKNOWN_STATE_TODO } from './target-text.ts';

const file = (path: string, text: string): SourceFile => ({ path, text });

const SERVER: SourceFile[] = [
  file('src/index.ts', "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nimport { startCallback } from './callback.ts';\nconst server = new McpServer({ name: 'x' });\nserver.registerTool('start_oauth', {}, f);\nif (process.argv.includes('--with-callback')) startCallback();\nawait server.connect(new StdioServerTransport());"),
  file('src/callback.ts', "const id = process.env.X_CLIENT_ID; const secret = process.env.X_CLIENT_SECRET; const port = process.env.X_PORT;\nconst AUTH = 'https://auth.atlassian.com/authorize';\nexport function startCallback() { app.get('/oauth/callback', cb); app.get('/health', ok); app.listen(Number(port)); }\nconst DONE = '<h1>You are signed in</h1>';\nconst FAILED = '<h1>Sign-in failed</h1>';"),
];

describe('renderTarget', () => {
  const rendered = renderTarget(readServer(SERVER, { name: 'x-mcp', type: 'module', scripts: { build: 'tsc -p .' } }, 'x'));

  test('what the code says plainly is a field, with no TODO', () => {
    expect(rendered.text).toContain("import { compiledNodeArgs, defineTarget } from 'oauth-state-repro';");
    expect(rendered.text).toContain("tool: { command: 'node', args: [...entry('src/index.ts')] },");
    expect(rendered.text).toContain("callback: { command: 'node', args: [...entry('src/index.ts'), '--with-callback'], ready },");
    expect(rendered.text).toContain("callbackPath: '/oauth/callback',");
    expect(rendered.text).toContain('X_CLIENT_ID: input.clientId,');
    expect(rendered.text).toContain('X_PORT: input.port,');
    expect(rendered.text).toContain("startFlow: { tool: 'start_oauth'");
    expect(rendered.text).toContain('success: /You\\s+are\\s+signed\\s+in/,');
    expect(rendered.text).toContain("providerHosts: 'hard-coded'");
    expect(rendered.text).toContain("Its own build (npm run build: tsc -p .) is not used");
  });

  test('what it could not settle is a TODO in the file and a line for the terminal, the same words', () => {
    expect(rendered.todos).toEqual([UNKNOWN_STATE_TODO, expect.stringMatching(/^one fixed store, its reach guessed \(process\)/)]);
    for (const line of rendered.todos) expect(rendered.text).toContain(`// TODO: ${line}`);
  });

  test("the callback's answer to a made-up state settles the unknown-state TODO", () => {
    const settled = settleUnknownState(rendered, 'That link is not valid (anymore).');
    expect(settled.todos).not.toContain(UNKNOWN_STATE_TODO);
    expect(settled.text).toContain('invalidState: /That\\s+link\\s+is\\s+not\\s+valid\\s+\\(anymore\\)\\./');
    expect(settled.text).not.toContain('invalidState: /TODO/');
  });

  test('a phrase read from the code that the running callback did not say is replaced by what it said', () => {
    const read = { text: "  callbackPage: {\n    success: /ok/,\n    invalidState: /Unknown\\s+state/,\n    failure: /no/,\n  },\n", todos: [] };
    expect(settleUnknownState(read, 'Token exchange failed: invalid state.').text).toBe(
      "  callbackPage: {\n    success: /ok/,\n    invalidState: /Token\\s+exchange\\s+failed:\\s+invalid\\s+state\\./, // what its callback answered to a made-up state, in init's preflight\n    failure: /no/,\n  },\n",
    );
  });

  test('a server whose only entry is Streamable HTTP gets a remote target: replica inputs, its MCP path, proxy role, a tool to end each flow', () => {
    const remote = renderTarget(
      readServer(
        [
          file('server.ts', "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\nconst port = process.env.PORT; const url = process.env.PUBLIC_URL; const id = process.env.APP_CLIENT_ID; const secret = process.env.APP_CLIENT_SECRET;\napp.post('/mcp', h); app.get('/oauth/callback', cb); app.get('/health', ok);\nconst A = 'https://auth.atlassian.com/authorize';\nserver.registerTool('whoami', {}, f);\nnew StreamableHTTPServerTransport({}); app.listen(Number(port));"),
        ],
        { name: 'remote-mcp' },
        'remote-mcp',
      ),
    );
    expect(remote.text).toContain("import { compiledNodeArgs, defineRemoteTarget } from 'oauth-state-repro';");
    for (const line of ['PORT: input.ports.mcp!,', 'PUBLIC_URL: input.publicUrl,', 'APP_CLIENT_ID: input.clientId,', "mcpPath: '/mcp',", "publicUrl: 'from-env',", "oauth: { role: 'proxy', providerCallbackPath: '/oauth/callback' },", "toolCall: { name: 'whoami' },", "ready: { kind: 'http', path: '/health' },"]) {
      expect(remote.text).toContain(line);
    }
    expect(remote.todos).toEqual([expect.stringMatching(/^one fixed store/)]);
  });

  test('no entry, no tool, no routes: every field a TODO, never a silent guess', () => {
    const bare = renderTarget(readServer([file('a.ts', "console.log('hello there, world');")], undefined, 'bare'));
    expect(bare.todos.length).toBeGreaterThanOrEqual(6);
    expect(bare.todos.join('\n')).toMatch(/StdioServerTransport[^]*callback server[^]*port variable[^]*callback route[^]*client id[^]*starts the OAuth flow/);
  });
});
