/**
 * The authorization server a `resource` target trusts: the MCP TypeScript
 * SDK's own demo authorization server, run from node_modules as it ships
 * (dynamic client registration, PKCE S256, the `resource` indicator checked
 * against the MCP server's URL, RFC 7662 introspection at /introspect). It
 * is not under test: one process for the whole deployment, in front of no
 * balancer, so only what the replicas keep can be lost.
 *
 * argv: PORT MCP_SERVER_URL. Its readiness is the SDK's own line on stdout,
 * "OAuth Authorization Server listening on port PORT".
 */
import { setupAuthServer } from '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js';

const [port, mcpServerUrl] = process.argv.slice(2);
if (!port || !mcpServerUrl) {
  process.stderr.write('usage: sdk-demo-authorization-server.mjs PORT MCP_SERVER_URL\n');
  process.exit(2);
}
setupAuthServer({ authServerUrl: new URL(`http://127.0.0.1:${port}`), mcpServerUrl: new URL(mcpServerUrl), strictResource: true });
// The harness ends it through stdin (its parent gone) as well as by signal: it must not outlive a harness that was killed.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
