import { NO_SHARED_DISK, PASSES, REJECTED_AS_INVALID_STATE } from '../harness/core/expectations.ts';
import type { Scenario } from '../harness/core/scenario.ts';

export default {
  name: 'isolated',
  description: 'Two processes, each with its own TMPDIR and HOME, as two containers would be: nothing on disk is shared.',
  topology: 'isolated',
  workload: { flows: 5, concurrency: 1 },
  faultsBetweenStartAndCallback: [],
  expect: {
    process: REJECTED_AS_INVALID_STATE,
    host: NO_SHARED_DISK,
    hosts: PASSES,
  },
} satisfies Scenario;
