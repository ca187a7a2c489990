import type { RemoteScenario } from '../../harness/core/remote-scenario.ts';
import { PASSES } from '../../harness/core/remote-expectations.ts';

export default {
  name: 'rolling-restart',
  description: "A rolling deploy in every flow, between /authorize and the next hop: every replica restarted in turn (each on its own host, which keeps its disk) while the user is at the provider's consent page.",
  replicas: 2,
  // Every loopback request hashes to one replica: the control for replicas sharing state, so only the restart can break a flow.
  policy: 'source',
  hosts: 'own',
  flows: 2,
  events: [{ kind: 'rolling-restart', at: { after: 'authorize' } }],
  expect: {
    process: {
      outcome: 'fail',
      lost: ['authorize-state', 'registration', 'code'],
      why: "a process-reach store loses everything at a restart: the pending authorization (a proxy's), or the client's registration and code (an authorization server's)",
    },
    host: PASSES,
    hosts: PASSES,
    // A resource server keeps nothing while its user is at the consent page: the sessions come after.
    resource: { process: PASSES, host: PASSES, hosts: PASSES },
  },
} satisfies RemoteScenario;
