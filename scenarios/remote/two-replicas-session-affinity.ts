import type { RemoteScenario } from '../../harness/core/remote-scenario.ts';
import { PASSES, SPREAD_BEFORE_THE_SESSION, SPREAD_BEFORE_THE_SESSION_NO_SHARED_DISK } from '../../harness/core/remote-expectations.ts';

export default {
  name: 'two-replicas-session-affinity',
  description: 'Two replicas with affinity on Mcp-Session-Id: the balancer learns each session from the response that made it and keeps its requests on that replica, the usual fix for MCP sessions; the OAuth requests before any session are still spread round-robin.',
  replicas: 2,
  policy: 'session-affinity',
  hosts: 'own',
  flows: 3,
  events: [],
  expect: {
    process: SPREAD_BEFORE_THE_SESSION,
    host: SPREAD_BEFORE_THE_SESSION_NO_SHARED_DISK,
    hosts: PASSES,
    // A resource server keeps only its MCP sessions, and the affinity keeps each on the replica that has it.
    resource: { process: PASSES, host: PASSES, hosts: PASSES },
  },
} satisfies RemoteScenario;
