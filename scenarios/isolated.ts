import { NO_SHARED_DISK, PASSES, REJECTED_AS_INVALID_STATE } from '../harness/scenario/expectations.ts';
import type { Scenario } from '../harness/scenario/scenario.ts';

export default {
  name: 'isolated',
  description: 'Two processes, each with its own TMPDIR and HOME, as two containers would be: nothing on disk is shared.',
  topology: 'isolated',
  workload: { flows: 5, concurrency: 1 },
  faultsBetweenStartAndCallback: [],
  expect: {
    memory: REJECTED_AS_INVALID_STATE,
    'json-file': REJECTED_AS_INVALID_STATE,
    'atomic-file': NO_SHARED_DISK,
    sqlite: NO_SHARED_DISK,
    redis: PASSES,
    'sealed-state': PASSES,
  },
} satisfies Scenario;
