import type { RemoteScenario } from '../../harness/core/remote-scenario.ts';
import { PASSES } from '../../harness/core/remote-expectations.ts';

export default {
  name: 'one-replica',
  description: 'One replica behind the balancer: every hop reaches the process that made the state, so every store should complete (the baseline the other remote scenarios are read against).',
  replicas: 1,
  policy: 'roundrobin',
  hosts: 'own',
  flows: 3,
  events: [],
  expect: {
    process: PASSES,
    host: PASSES,
    hosts: PASSES,
    // A resource server keeps only its MCP sessions.
    resource: { process: PASSES, host: PASSES, hosts: PASSES },
  },
} satisfies RemoteScenario;
