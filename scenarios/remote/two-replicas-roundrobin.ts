import type { RemoteScenario } from '../../harness/core/remote-scenario.ts';
import { NO_SHARED_DISK, PASSES, REGISTRATION_ON_ANOTHER_REPLICA, SESSION_NO_SHARED_DISK, SESSION_ON_ANOTHER_REPLICA } from '../../harness/core/remote-expectations.ts';

export default {
  name: 'two-replicas-roundrobin',
  description: 'Two replicas on hosts of their own, each request to the next: the deployment where a client registered on one replica meets the other at /authorize.',
  replicas: 2,
  policy: 'roundrobin',
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
