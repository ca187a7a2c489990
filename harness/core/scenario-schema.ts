/** The shape of a scenario file, checked at load time (a scenario is data a person writes, possibly in JavaScript). */
import { z } from 'zod';
import { STAGES } from './scenario.ts';
import { TOPOLOGIES, type TopologyName } from './topologies.ts';

const expectation = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('pass') }).strict(),
  z.object({ outcome: z.literal('fail'), stage: z.enum(STAGES), message: z.string().min(1, 'a failure expectation must declare the message the user sees'), why: z.string().optional() }).strict(),
]);

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().min(1),
    topology: z.enum(Object.keys(TOPOLOGIES) as [TopologyName, ...TopologyName[]]),
    workload: z.object({ flows: z.number().int().positive(), concurrency: z.number().int().positive() }).strict(),
    faultsBetweenStartAndCallback: z.array(z.object({ kind: z.literal('restart-callback') }).strict()),
    expect: z
      .object({ process: expectation, host: expectation, hosts: expectation, stores: z.record(z.string(), expectation).optional() })
      .strict(),
    userAgent: z.enum(['http', 'browser']).optional(),
  })
  .strict();
