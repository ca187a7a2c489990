import { PASSES } from '../harness/scenario/expectations.ts';
import type { Scenario } from '../harness/scenario/scenario.ts';

export default {
  name: 'single-process',
  description: 'Tool and callback handlers in one process: the case where a static Map does work.',
  topology: 'single-process',
  workload: { flows: 5, concurrency: 1 },
  faultsBetweenStartAndCallback: [],
  expect: {
    memory: PASSES,
    'json-file': PASSES,
    'atomic-file': PASSES,
    sqlite: PASSES,
    redis: PASSES,
    'sealed-state': PASSES,
  },
} satisfies Scenario;
