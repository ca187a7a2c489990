import { PASSES, REJECTED_AS_INVALID_STATE } from '../harness/scenario/expectations.ts';
import type { Scenario } from '../harness/scenario/scenario.ts';

export default {
  name: 'callback-restart',
  description: 'The callback process is killed and started again between start_oauth and the callback (a deploy, a crash, an autoscaler).',
  topology: 'split-process',
  // One flow at a time: concurrent rewrites of the file race (the concurrency scenarios
  // measure that); this scenario isolates what a restart does.
  workload: { flows: 5, concurrency: 1 },
  faultsBetweenStartAndCallback: [{ kind: 'restart-callback' }],
  expect: {
    memory: REJECTED_AS_INVALID_STATE,
    'json-file': PASSES,
    'atomic-file': PASSES,
    sqlite: PASSES,
    redis: PASSES,
    'sealed-state': PASSES,
  },
} satisfies Scenario;
