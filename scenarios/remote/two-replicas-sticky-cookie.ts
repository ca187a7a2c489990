import type { RemoteScenario } from '../../harness/core/remote-scenario.ts';
import { NO_SHARED_DISK, PASSES, REGISTRATION_ON_ANOTHER_REPLICA, SESSION_NO_SHARED_DISK, SESSION_ON_ANOTHER_REPLICA } from '../../harness/core/remote-expectations.ts';

export default {
  name: 'two-replicas-sticky-cookie',
  description: "Two replicas with a sticky cookie: the browser is pinned, but the MCP client's own requests (registration, token, MCP) carry no browser cookie, so stickiness does not keep a flow on one replica.",
  replicas: 2,
  policy: 'sticky-cookie',
  hosts: 'own',
  flows: 3,
  events: [],
  expect: {
    process: REGISTRATION_ON_ANOTHER_REPLICA,
    host: NO_SHARED_DISK,
    hosts: PASSES,
    // A resource server keeps only its MCP sessions.
    resource: { process: SESSION_ON_ANOTHER_REPLICA, host: SESSION_NO_SHARED_DISK, hosts: PASSES },
  },
} satisfies RemoteScenario;
