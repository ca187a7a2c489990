/** A valid target whose processes exit at once: the run must say so in one line and exit 2, leaving nothing behind. */
import { defineTarget } from '../target-file.ts';

const dies = { command: 'node', args: ['-e', 'console.error("no configuration: refusing to start"); process.exit(3)'] };

export default defineTarget({
  name: 'exits at once',
  tool: dies,
  callback: { ...dies, ready: { kind: 'log-line', stream: 'stderr', pattern: /listening/ } },
  both: { ...dies, ready: { kind: 'log-line', stream: 'stderr', pattern: /listening/ } },
  port: 'assigned',
  env: () => ({}),
  providerHosts: 'from-env',
  runtime: 'node',
  startFlow: { tool: 'start', authorizeUrl: { field: 'url' } },
  callbackPage: { success: /ok/, invalidState: /invalid state/ },
  stores: { only: { reach: 'host' } },
});
