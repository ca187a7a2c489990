import type { RemoteScenario } from '../../harness/core/remote-scenario.ts';
import { PASSES, SESSION_WHERE_THE_HASH_SENDS_IT, SPREAD_BEFORE_THE_SESSION, SPREAD_BEFORE_THE_SESSION_NO_SHARED_DISK } from '../../harness/core/remote-expectations.ts';

export default {
  name: 'two-replicas-session-hash',
  description: 'Two replicas hashed on Mcp-Session-Id: a session\'s requests go where its id hashes, which need not be the replica that made it, and the OAuth requests before any session are spread round-robin.',
  replicas: 2,
  policy: 'session-header-hash',
  hosts: 'own',
  flows: 3,
  events: [],
  expect: {
    process: SPREAD_BEFORE_THE_SESSION,
    host: SPREAD_BEFORE_THE_SESSION_NO_SHARED_DISK,
    hosts: PASSES,
    // A resource server keeps only its MCP sessions.
    resource: { process: SESSION_WHERE_THE_HASH_SENDS_IT, host: SESSION_WHERE_THE_HASH_SENDS_IT, hosts: PASSES },
  },
} satisfies RemoteScenario;
