import { PASSES, REJECTED_AS_INVALID_STATE } from '../harness/core/expectations.ts';
import type { Scenario } from '../harness/core/scenario.ts';

export default {
  name: 'split-process',
  description: "The write-up's case: start_oauth in the MCP tool process, /oauth/callback in another process on the same host, sharing /tmp.",
  topology: 'split-process',
  workload: { flows: 5, concurrency: 1 },
  faultsBetweenStartAndCallback: [],
  expect: {
    process: REJECTED_AS_INVALID_STATE,
    host: PASSES,
    hosts: PASSES,
  },
} satisfies Scenario;
