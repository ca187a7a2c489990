/**
 * A first target file from a server's reading: every field init could
 * settle, and a `// TODO:` line above each it could not (the same lines are
 * returned for the terminal). The file imports only 'oauth-state-repro', and
 * names the server's files relative to itself (cwd '.').
 */
import type { EntryPoint } from './entry-points.ts';
import { SHARED_ENV_VALUES, type EnvValues } from './env-values.ts';
import { phrasePattern } from './page-texts.ts';
import type { ServerReading } from './read-server.ts';
import { renderRemoteTarget } from './remote-target-text.ts';
import { reachOfName } from './store-guess.ts';

export interface TargetText {
  text: string;
  todos: string[];
}

/** The one TODO the preflight can settle: it asks the running callback (unknown-state-probe.ts). */
export const UNKNOWN_STATE_TODO = 'no text found for the page for a state it does not know: write a regex over what that page says';

/** The file with its invalidState line (a TODO, or a phrase read from the code) replaced by the phrase the running callback answered with. */
export function settleUnknownState(rendered: TargetText, phrase: string): TargetText {
  const line = /(?: {4}\/\/ TODO: [^\n]*\n)? {4}invalidState: [^\n]*\n/.exec(rendered.text);
  if (!line) return rendered;
  const after = `    invalidState: /${phrasePattern(phrase)}/, // what its callback answered to a made-up state, in init's preflight\n`;
  return { text: rendered.text.replace(line[0], after), todos: rendered.todos.filter((t) => t !== UNKNOWN_STATE_TODO) };
}

const TYPESCRIPT = /\.[cm]?tsx?$/;
/** Any authorize URL: at the provider's own host, or at the run's mock when the server takes the provider's URL from its environment. */
const AUTHORIZE_URL = String.raw`/(https?:\/\/[^\s"'<>]+\/authorize\?[^\s"'<>]+)/`;

/** How each variable's value comes from the harness's input (TargetInputs). */
const VALUE_OF: EnvValues = {
  ...SHARED_ENV_VALUES,
  redirectUri: (n) => `...(input.redirectUri ? { ${n}: input.redirectUri } : {}),`,
  port: (n) => `${n}: input.port,`,
  timeout: (n) => `...(input.providerTimeoutMs ? { ${n}: input.providerTimeoutMs } : {}),`,
};

export function renderTarget(reading: ServerReading): TargetText {
  // A server whose only MCP entry is Streamable HTTP is a remote target: replicas behind a balancer.
  const { tool, factory, both, remote } = reading.entries;
  if (remote && !tool && !factory && !both) return renderRemoteTarget(reading);
  const todos: string[] = [];
  /** A TODO for the file (as a comment line at `indent`) and for the terminal. */
  const todo = (message: string, indent = '  ') => {
    todos.push(message);
    return `${indent}// TODO: ${message}\n`;
  };
  const { entries, routes, pages, tools, hosts } = reading;
  const tsEntries = [entries.tool, entries.callback, entries.both, entries.factory].filter((e): e is EntryPoint => !!e && TYPESCRIPT.test(e.file));
  const tsFiles = [...new Set(tsEntries.map((e) => e.file))];
  const argsOf = (entry: EntryPoint, extra: string[] = []) => (TYPESCRIPT.test(entry.file) ? `[...entry(${q(entry.file)})${extra.map((a) => `, ${q(a)}`).join('')}]` : `[${[entry.file, ...extra].map(q).join(', ')}]`);

  let head = `/**\n * Written by \`oauth-state-repro init\` from the server's code: check each field, settle each TODO,\n * then \`npx oauth-state-repro --target ${'<this file>'}\`. Every field: README, "Diagnose your own server".\n */\n`;
  head += tsFiles.length ? `import { fileURLToPath } from 'node:url';\nimport { compiledNodeArgs, defineTarget } from 'oauth-state-repro';\n` : `import { defineTarget } from 'oauth-state-repro';\n`;
  let body = '';
  if (tsFiles.length) {
    body += `\n// Its TypeScript entries, compiled once per source version with their dependencies (but those a bundle cannot hold,\n// a native addon or code that reads __dirname, in bundleDependenciesExcept), so each of the run's processes starts from JavaScript.\n`;
    const build = reading.packageJson?.scripts?.build;
    // Its own build is not needed for the run; a user who would rather run the shipped files can switch to it.
    if (build) body += `// Its own build (npm run build: ${build.replace(/\n/g, ' ')}) is not used: to run its output instead, set build: { command: 'npm', args: ['run', 'build'] }\n// and name the built files in place of entry(...).\n`;
    body += `const serverRoot = fileURLToPath(new URL('.', import.meta.url));\n`;
    // Folders outside its own that it imports from are its sources too: a change there is a new build.
    const sourceDirs = ['.', ...new Set(reading.outsideFiles.map((f) => f.slice(0, f.lastIndexOf('/'))))];
    body += `const entry = compiledNodeArgs(serverRoot, { name: ${q(slug(reading.name))}, sourceDirs: [${sourceDirs.map(q).join(', ')}], entries: [${tsFiles.map(q).join(', ')}], bundleDependenciesExcept: [${reading.unbundlable.map(q).join(', ')}] });\n`;
  }
  if (entries.factory && TYPESCRIPT.test(entries.factory.file)) body += `const [factoryModule] = entry(${q(entries.factory.file)});\n`;
  const factoryRef = entries.factory ? (TYPESCRIPT.test(entries.factory.file) ? 'factoryModule!' : q(entries.factory.file)) : undefined;

  const health = routes.healthPath;
  const ready = health ? `{ kind: 'http', path: ${q(health)} } as const` : undefined;
  if (ready) body += `const ready = ${ready};\n`;

  let fields = `  name: ${q(reading.name)},\n  cwd: '.',\n`;
  // The tool process: MCP over stdio.
  if (entries.factory && !entries.tool) {
    const config = reading.factoryConfigKeys.length ? `, config: (input) => ({ ${reading.factoryConfigKeys.map((k) => `${k}: ''`).join(', ')} })` : '';
    if (reading.factoryConfigKeys.length) fields += todo(`the factory reads config.${reading.factoryConfigKeys.join(', config.')}: give each its value in launch.config (input.companyUrl, input.userEmail, ...)`);
    fields += `  // ${entries.factory.file} exports a factory and connects no transport of its own: the harness runs it through its stdio launcher.\n`;
    fields += `  launch: { factory: ${factoryRef}${config} },\n`;
  } else if (entries.tool) {
    fields += `  tool: { command: 'node', args: ${argsOf(entries.tool)} },\n`;
  } else {
    fields += todo('no file connects the MCP SDK\'s StdioServerTransport or exports a server factory: name the command that starts its MCP server over stdio');
    fields += `  tool: { command: 'node', args: ['TODO'] },\n`;
  }
  // The callback process, and the one process doing both.
  const needReady = ready ? 'ready' : 'ready: { kind: \'log-line\', stream: \'stdout\', pattern: /TODO/ }';
  if (!ready) fields += todo('no health route found: say how the callback process announces it is up (a log line it prints, or a path to poll)');
  if (entries.callback) fields += `  callback: { command: 'node', args: ${argsOf(entries.callback)}, ${needReady} },\n`;
  else if (entries.factory && entries.factory.httpFlag) fields += `  callback: { command: 'node', args: [${factoryRef}, ${q(entries.factory.httpFlag)}], ${needReady} },\n`;
  else if (entries.tool?.httpFlag) fields += `  callback: { command: 'node', args: ${argsOf(entries.tool, [entries.tool.httpFlag])}, ${needReady} },\n`;
  else fields += todo('no file starts the HTTP callback server on its own: name its command') + `  callback: { command: 'node', args: ['TODO'], ${needReady} },\n`;
  if (entries.both && entries.both !== entries.tool) fields += `  both: { command: 'node', args: ${argsOf(entries.both)}, ${needReady} },\n`;
  else if (entries.both) fields += `  both: { command: 'node', args: ${argsOf(entries.both)}, ${needReady} },\n`;
  else if (entries.factory?.httpFlag && !entries.tool) fields += `  both: { args: [${q(entries.factory.httpFlag)}], ${needReady} },\n`;
  else if (entries.tool?.httpFlag) fields += `  both: { command: 'node', args: ${argsOf(entries.tool, [entries.tool.httpFlag])}, ${needReady} },\n`;
  else fields += todo('no one process both serves MCP over stdio and the callback: name its command (the single-process topology)') + `  both: { command: 'node', args: ['TODO'], ${needReady} },\n`;

  const port = reading.env.find((v) => v.role === 'port');
  if (!port) fields += todo('no port variable found: say how the callback process is told its port (port: \'assigned\' passes input.port)');
  fields += `  port: 'assigned',\n`;
  if (routes.callbackPath) fields += `  callbackPath: ${q(routes.callbackPath)},\n`;
  else fields += todo(`no callback route found (routes seen: ${routes.all.join(', ') || 'none'}): set callbackPath`) + `  callbackPath: '/oauth/callback',\n`;
  fields += `  healthPath: ${health ? q(health) : 'null'},\n`;

  // Its environment, in its own names.
  let env = '';
  const unsettled: string[] = [];
  for (const variable of reading.env) {
    const value = variable.role ? VALUE_OF[variable.role] : undefined;
    if (value) env += `    ${value(variable.name)}\n`;
    else if (variable.role !== 'harness' && !/^(?:START|ENABLE|RUN|SERVE)_\w*(?:HTTP|SERVER|CALLBACK)\w*$/.test(variable.name)) unsettled.push(variable.name);
  }
  for (const role of ['clientId', 'clientSecret'] as const) if (!reading.env.some((v) => v.role === role)) fields += todo(`no variable for the OAuth ${role === 'clientId' ? 'client id' : 'client secret'} found: add the one it reads to env`);
  if (!reading.env.some((v) => v.role === 'redirectUri')) fields += `  // No redirect URI variable found: the server derives its own from the port and callbackPath, or add its variable to env.\n`;
  if (unsettled.length) fields += todo(`it also reads ${unsettled.join(', ')}: set each in env if it needs one to start`);
  fields += `  env: (input) => ({\n${env}  }),\n`;

  if (hosts.others.length) fields += todo(`it names ${hosts.others.join(', ')}: the run's mock plays Atlassian only, so flows to another provider cannot be diagnosed`);
  if (hosts.mocked.length) fields += `  providerHosts: 'hard-coded', // it names ${hosts.mocked.join(' and ')}: the harness's preload sends them to the run's mock\n`;
  else if (reading.env.some((v) => v.role === 'authUrl')) fields += `  providerHosts: 'from-env',\n`;
  else fields += todo('no Atlassian host and no provider URL variable found: hard-coded (the preload) or from-env?') + `  providerHosts: 'hard-coded',\n`;
  fields += `  runtime: 'node',\n`;

  if (!tools.startFlow) fields += todo(`no tool that starts the OAuth flow recognised (tools: ${tools.all.join(', ') || 'none found'}): name it`);
  fields += `  startFlow: { tool: ${q(tools.startFlow ?? 'TODO')}, authorizeUrl: { pattern: ${AUTHORIZE_URL} } },\n`;

  fields += `  callbackPage: {\n`;
  for (const [key, what] of [['success', 'the success page'], ['invalidState', 'the page for a state it does not know'], ['failure', 'a failed sign-in']] as const) {
    const phrase = pages[key];
    if (phrase) fields += `    ${key}: /${phrasePattern(phrase)}/,\n`;
    else fields += todo(key === 'invalidState' ? UNKNOWN_STATE_TODO : `no text found for ${what}: write a regex over what that page says`, '    ') + `    ${key}: /TODO/,\n`;
  }
  if (pages.expired) fields += `    refused: { expired: /${phrasePattern(pages.expired)}/ },\n`;
  fields += `  },\n`;

  // Its stores.
  if (reading.storeSelection) {
    const { variable, values, defaultValue } = reading.storeSelection;
    const guessed = values.filter((v) => !reachOfName(v));
    if (guessed.length) fields += todo(`${variable} takes ${guessed.map(q).join(', ')}: whose reach (process, host, hosts) could not be told from the name`);
    fields += `  // ${variable} chooses the store; reach by its name: process (a Map in one process), host (a file), hosts (a server).\n`;
    // A redis store gets the run's redis-server (input.redisUrl); without one installed its rows say so.
    fields += `  stores: { ${values.map((v) => `${q(v)}: { reach: ${q(reachOfName(v) ?? 'process')}${/redis|valkey/i.test(v) ? ', needsRedis: true' : ''} }`).join(', ')} },\n`;
    if (!defaultValue) fields += todo(`the value ${variable} defaults to could not be told: set defaultStore`);
    fields += `  defaultStore: ${q(defaultValue ?? values[0]!)},\n`;
  } else if (reading.fixedStore) {
    const { name, reach, because } = reading.fixedStore;
    fields += todo(`one fixed store, its reach guessed (${reach}) because ${because}: check it`);
    fields += `  stores: { ${q(name)}: { reach: ${q(reach)} } },\n  defaultStore: ${q(name)},\n`;
  }
  if (entries.tool?.logsOnStdout || entries.factory?.logsOnStdout) fields += `  stdoutMayCarryNonMcp: true, // it console.logs: lines on stdout beside MCP are counted, not fatal\n`;

  return { text: `${head}${body}\nexport default defineTarget({\n${fields}});\n`, todos };
}

const q = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const slug = (name: string) => name.replace(/^@/, '').replace(/[^\w.-]+/g, '-').slice(0, 40) || 'server';
