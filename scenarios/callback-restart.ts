import { PASSES, REJECTED_AS_INVALID_STATE } from '../harness/core/expectations.ts';
import type { Scenario } from '../harness/core/scenario.ts';

export default {
  name: 'callback-restart',
  description: 'The callback process is killed and started again between start_oauth and the callback (a deploy, a crash, an autoscaler).',
  topology: 'split-process',
  // One flow at a time: concurrent rewrites of the file race (the concurrency scenarios
  // measure that); this scenario isolates what a restart does.
  workload: { flows: 5, concurrency: 1 },
  faultsBetweenStartAndCallback: [{ kind: 'restart-callback' }],
  expect: {
    process: REJECTED_AS_INVALID_STATE,
    host: PASSES,
    hosts: PASSES,
  },
} satisfies Scenario;
