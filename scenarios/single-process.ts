import { PASSES } from '../harness/core/expectations.ts';
import type { Scenario } from '../harness/core/scenario.ts';

export default {
  name: 'single-process',
  description: 'Tool and callback handlers in one process: the case where a static Map does work.',
  topology: 'single-process',
  workload: { flows: 5, concurrency: 1 },
  faultsBetweenStartAndCallback: [],
  expect: {
    process: PASSES,
    host: PASSES,
    hosts: PASSES,
  },
} satisfies Scenario;
