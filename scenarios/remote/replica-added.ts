import type { RemoteScenario } from '../../harness/core/remote-scenario.ts';
import { PASSES, REGISTRATION_ON_ANOTHER_REPLICA, SESSION_ON_ANOTHER_REPLICA } from '../../harness/core/remote-expectations.ts';

export default {
  name: 'replica-added',
  description: 'Two replicas on one shared host, round-robin, and a third (same host) added mid-flow, between /authorize and the next hop: a cold replica must serve state the others made.',
  replicas: 2,
  policy: 'roundrobin',
  hosts: 'shared',
  flows: 3,
  events: [{ kind: 'add-replica', at: { flow: 2, after: 'authorize' } }],
  expect: {
    process: REGISTRATION_ON_ANOTHER_REPLICA,
    host: PASSES,
    hosts: PASSES,
    // A resource server keeps only its MCP sessions.
    resource: { process: SESSION_ON_ANOTHER_REPLICA, host: PASSES, hosts: PASSES },
  },
} satisfies RemoteScenario;
