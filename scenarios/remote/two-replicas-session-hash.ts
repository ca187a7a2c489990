import type { RemoteScenario } from '../../harness/core/remote-scenario.ts';
import { PASSES, SPREAD_BEFORE_THE_SESSION, SPREAD_BEFORE_THE_SESSION_NO_SHARED_DISK } from '../../harness/core/remote-expectations.ts';

export default {
  name: 'two-replicas-session-hash',
  description: 'Two replicas hashed on Mcp-Session-Id: an MCP session stays on one replica, but the OAuth requests before it carry no session and are spread round-robin.',
  replicas: 2,
  policy: 'session-header-hash',
  hosts: 'own',
  flows: 3,
  events: [],
  expect: { process: SPREAD_BEFORE_THE_SESSION, host: SPREAD_BEFORE_THE_SESSION_NO_SHARED_DISK, hosts: PASSES },
} satisfies RemoteScenario;
