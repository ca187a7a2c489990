/**
 * A first remote target file (defineRemoteTarget) for a server whose only
 * entry serves MCP over Streamable HTTP: its command, its environment in
 * the remote inputs' terms, readiness, its MCP path, how it learns its
 * public URL, its OAuth role and the tool each flow ends with. The same TODO
 * rule as the stdio file: what could not be settled is said above its field.
 */
import { SHARED_ENV_VALUES, type EnvValues } from './env-values.ts';
import type { ServerReading } from './read-server.ts';
import { reachOfName } from './store-guess.ts';

const TYPESCRIPT = /\.[cm]?tsx?$/;

/** How each variable's value comes from the harness's input for one replica (RemoteInputs). */
const VALUE_OF: EnvValues = {
  ...SHARED_ENV_VALUES,
  redirectUri: (n) => `...(input.providerRedirectUri ? { ${n}: input.providerRedirectUri } : {}),`,
  port: (n) => `${n}: input.ports.mcp!,`,
  publicUrl: (n) => `${n}: input.publicUrl,`,
};

/** The file and its TODO lines (the same shape as target-text.ts's, which dispatches here). */
export function renderRemoteTarget(reading: ServerReading): { text: string; todos: string[] } {
  const todos: string[] = [];
  const todo = (message: string, indent = '    ') => {
    todos.push(message);
    return `${indent}// TODO: ${message}\n`;
  };
  const remote = reading.entries.remote!;
  const ts = TYPESCRIPT.test(remote.file);
  let text = `/**\n * Written by \`oauth-state-repro init\` from the server's code: a remote server (MCP over Streamable HTTP), run as\n * replicas behind a load balancer. Check each field, settle each TODO, then \`npx oauth-state-repro --target <this file>\`.\n * Every field: README, "Describing a remote server".\n */\n`;
  text += ts ? `import { fileURLToPath } from 'node:url';\nimport { compiledNodeArgs, defineRemoteTarget } from 'oauth-state-repro';\n\n` : `import { defineRemoteTarget } from 'oauth-state-repro';\n\n`;
  if (ts) {
    const sourceDirs = ['.', ...new Set(reading.outsideFiles.map((f) => f.slice(0, f.lastIndexOf('/'))))];
    text += `const serverRoot = fileURLToPath(new URL('.', import.meta.url));\n`;
    text += `const entry = compiledNodeArgs(serverRoot, { name: '${reading.name.replace(/[^\w.-]+/g, '-')}', sourceDirs: ${JSON.stringify(sourceDirs).replace(/"/g, "'")}, entries: ['${remote.file}'], bundleDependenciesExcept: ${JSON.stringify(reading.unbundlable).replace(/"/g, "'")} });\n\n`;
  }
  let fields = '';
  fields += `    command: 'node',\n    args: ${ts ? `entry('${remote.file}')` : `['${remote.file}']`},\n`;
  let env = '';
  const unsettled: string[] = [];
  for (const variable of reading.env) {
    const value = variable.role ? VALUE_OF[variable.role] : undefined;
    if (value) env += `      ${value(variable.name)}\n`;
    else if (variable.role !== 'harness' && variable.role !== 'timeout') unsettled.push(variable.name);
  }
  if (!reading.env.some((v) => v.role === 'port')) fields += todo('no port variable found: pass input.ports.mcp in the variable it listens on');
  if (unsettled.length) fields += todo(`it also reads ${unsettled.join(', ')}: set each in env if it needs one to start`);
  fields += `    env: (input) => ({\n${env}    }),\n`;
  const health = reading.routes.healthPath;
  if (health) fields += `    ready: { kind: 'http', path: '${health}' },\n`;
  else fields += todo('no health route found: say how a replica announces it is up (a log line, or a path to poll)') + `    ready: { kind: 'log-line', stream: 'stdout', pattern: /TODO/ },\n`;
  const mcpPath = reading.routes.all.find((p) => /(?:^|\/)mcp$/.test(p));
  if (!mcpPath) fields += todo('no /mcp route found: set mcpPath to the MCP endpoint\'s path');
  fields += `    mcpPath: '${mcpPath ?? '/mcp'}',\n`;
  const publicUrl = reading.env.some((v) => v.role === 'publicUrl');
  if (!publicUrl) fields += todo("no public URL variable found: 'own-port' (it names itself by the port it listens on) needs root for the network namespaces; 'from-env' needs a variable");
  fields += `    publicUrl: '${publicUrl ? 'from-env' : 'own-port'}',\n`;
  if (reading.hosts.mocked.length && reading.routes.callbackPath) {
    fields += `    // It names ${reading.hosts.mocked.join(' and ')}: an OAuth proxy in front of the provider, which redirects back to it.\n`;
    fields += `    oauth: { role: 'proxy', providerCallbackPath: '${reading.routes.callbackPath}' },\n`;
  } else {
    fields += todo("its OAuth role could not be told: 'proxy' (in front of a provider), 'authorization-server' (its own codes) or 'resource' (tokens of another server)");
    fields += `    oauth: { role: 'authorization-server' },\n`;
  }
  const call = reading.tools.all.find((t) => t !== reading.tools.startFlow);
  if (!call) fields += todo('no tool found to call at the end of each flow: name one (one that needs the signed-in user says most)');
  fields += `    toolCall: { name: '${call ?? 'TODO'}' },\n`;

  let stores = '';
  if (reading.storeSelection) {
    const { variable, values, defaultValue } = reading.storeSelection;
    const guessed = values.filter((v) => !reachOfName(v));
    if (guessed.length) stores += todo(`${variable} takes ${guessed.map((v) => `'${v}'`).join(', ')}: whose reach could not be told from the name`, '  ');
    stores += `  stores: { ${values.map((v) => `'${v}': { reach: '${reachOfName(v) ?? 'process'}'${/redis|valkey/i.test(v) ? ', needsRedis: true' : ''} }`).join(', ')} },\n`;
    if (defaultValue) stores += `  defaultStore: '${defaultValue}',\n`;
  } else if (reading.fixedStore) {
    const { name, reach, because } = reading.fixedStore;
    stores += todo(`one fixed store, its reach guessed (${reach}) because ${because}: check it`, '  ');
    stores += `  stores: { '${name}': { reach: '${reach}' } },\n  defaultStore: '${name}',\n`;
  }
  text += `export default defineRemoteTarget({\n  name: '${reading.name.replace(/'/g, "\\'")}',\n  cwd: '.',\n  remote: {\n${fields}  },\n${stores}});\n`;
  return { text, todos };
}
