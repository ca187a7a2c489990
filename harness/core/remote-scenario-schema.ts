/** The shape of a remote scenario file, checked at load time (a scenario is data a person writes). */
import { z } from 'zod';
import { BALANCER_POLICIES, LOST_STATES } from './remote-vocabulary.ts';

const expectation = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('pass') }).strict(),
  z
    .object({
      outcome: z.literal('fail'),
      lost: z.array(z.enum(LOST_STATES)).min(1, 'a failure expectation must name the hop(s) where the state is lost'),
      why: z.string().optional(),
    })
    .strict(),
  z.object({ outcome: z.literal('as-routed'), why: z.string().optional() }).strict(),
]);

const byReach = z.object({ process: expectation, host: expectation, hosts: expectation }).strict();

const point = z.object({ flow: z.number().int().min(1).optional(), after: z.enum(['authorize', 'initialize']) }).strict();

export const remoteScenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().min(1),
    replicas: z.number().int().min(1).max(8),
    policy: z.enum(BALANCER_POLICIES),
    hosts: z.enum(['own', 'shared']),
    flows: z.number().int().positive(),
    events: z.array(z.discriminatedUnion('kind', [z.object({ kind: z.literal('rolling-restart'), at: point }).strict(), z.object({ kind: z.literal('add-replica'), at: point }).strict()])),
    expect: byReach.extend({ resource: byReach, stores: z.record(z.string(), expectation).optional() }).strict(),
  })
  .strict()
  .superRefine((scenario, ctx) => {
    scenario.events.forEach((event, i) => {
      if (event.at.flow !== undefined && event.at.flow > scenario.flows) ctx.addIssue({ code: 'custom', path: ['events', i, 'at', 'flow'], message: `flow ${event.at.flow} of ${scenario.flows}: the scenario runs only ${scenario.flows}` });
    });
  });
