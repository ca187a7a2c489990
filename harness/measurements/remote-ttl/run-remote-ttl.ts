/**
 * C6 across replicas: for each store, two replicas of the target's remote
 * server on one shared host behind a round-robin balancer, every replica on
 * one virtual clock (the ttl-clock preload, through the replicas'
 * environment), and three flows, each a new MCP client:
 *
 * - a baseline, the clock left alone: a store that cannot complete a flow
 *   through replicas at all cannot show its TTL;
 * - the clock moved by 14:59 while the user is at the provider;
 * - the clock moved by 15:01 there.
 *
 * The clock moves once the flow's authorize hop has answered (the pending
 * authorization exists), before the browser's next request, so before it
 * reaches the provider: the provider issues its code afterwards, and its
 * own code lifetime (real time, in the mock) never decides the outcome.
 *
 * Why round-robin: requests take turns, so the pending authorization is
 * often looked up on the replica that did not make it, and its expiry must
 * travel with the record rather than live in one process's timer. A shared
 * host lets a one-host store (a file) pass; `source` would send every
 * loopback request to one replica and test one process again.
 *
 * One deployment per store serves its three flows: each flow registers a
 * new client and makes its own pending authorization, so what one left
 * decides nothing for the next (the clock only moves forward, and nothing
 * of an earlier flow is used again).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RemoteDeployment } from '../../deploy/remote/remote-deployment.ts';
import { runRemoteFlow, type RemoteFlowResult } from '../../deploy/remote/remote-flow.ts';
import type { BeforeSend } from '../../deploy/remote/recording-fetch.ts';
import type { RemoteTargetDescription } from '../../deploy/target/remote-target-description.ts';
import { remoteModeOf } from '../../deploy/target/load-target.ts';
import type { MeasureContext } from '../measure-context.ts';
import { advanceServerClock, privateDatabaseUrl } from '../ttl-clock/redis-clock.ts';
import { JUST_AFTER_MS, JUST_BEFORE_MS, TTL_MS } from '../ttl-clock/ttl-boundary.ts';
import { VirtualClock } from '../ttl-clock/virtual-clock.ts';
import type { RemoteTtlProbe, RemoteTtlResult, RemoteTtlStore } from './remote-ttl-result.ts';

export const REMOTE_TTL_SHAPE = { replicas: 2, policy: 'roundrobin', hosts: 'shared' } as const;

export async function runRemoteTtl(ctx: MeasureContext): Promise<RemoteTtlResult> {
  const target = remoteModeOf(ctx.target);
  if (!target) throw new Error('remote TTL: the target describes no remote server');
  const result: RemoteTtlResult = { quick: ctx.quick, ...REMOTE_TTL_SHAPE, ttlMs: TTL_MS, stores: [] };
  for (const store of ctx.stores) {
    result.stores.push(await measureStore(ctx, target, store));
    const measured = result.stores.at(-1)!;
    ctx.onProgress?.(`remote TTL: ${store}: ${measured.harnessError ? `harness error (${measured.harnessError})` : [measured.baseline, measured.before, measured.after].map((probe) => probe?.outcome.outcome ?? '–').join(', ')}`);
  }
  return result;
}

async function measureStore(ctx: MeasureContext, target: RemoteTargetDescription, store: string): Promise<RemoteTtlStore> {
  const label = `remote-ttl-${store}`;
  const clock = new VirtualClock(path.join(ctx.run.dir, 'clock', `${label}.json`));
  // A store whose expiry a Redis server keeps: a database of its own, and the server's clock moves with the replicas'.
  const redisUrl = target.stores[store]?.needsRedis && ctx.run.services.redisUrl ? privateDatabaseUrl(ctx.run.services.redisUrl) : undefined;
  if (redisUrl) clock.followedBy((ms) => advanceServerClock(redisUrl, ms));
  const measured: RemoteTtlStore = { store };
  const history: string[] = [];
  let deployment: RemoteDeployment | undefined;
  try {
    deployment = await RemoteDeployment.start({ target, store, label, ...REMOTE_TTL_SHAPE, mock: ctx.mock, run: ctx.run, extraEnv: clock.env(), ...(redisUrl ? { redisUrl } : {}) });
    measured.baseline = await probe(deployment, target, clock, 0, history);
    measured.before = await probe(deployment, target, clock, JUST_BEFORE_MS, history);
    measured.after = await probe(deployment, target, clock, JUST_AFTER_MS, history);
  } catch (error) {
    measured.harnessError = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  } finally {
    await deployment?.stop();
    const file = path.join(ctx.run.dir, 'remote', `${label}.jsonl`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, history.join(''));
  }
  return measured;
}

/** One flow, the clock moved by `advanceMs` once its authorize hop has answered (0: never). */
async function probe(deployment: RemoteDeployment, target: RemoteTargetDescription, clock: VirtualClock, advanceMs: number, history: string[]): Promise<RemoteTtlProbe> {
  let clockMoved = false;
  let authorizeSentAt: number | undefined;
  let callbackAnsweredBy: number | undefined;
  const beforeSend: BeforeSend = async (next, before) => {
    const now = performance.now();
    if (next.kind === 'authorize') authorizeSentAt ??= now;
    if (callbackAnsweredBy === undefined && before.some((hop) => hop.kind === 'provider-callback' && hop.status !== undefined)) callbackAnsweredBy = now;
    if (advanceMs === 0 || clockMoved) return;
    if (!before.some((hop) => hop.kind === 'authorize' && hop.status !== undefined && hop.status < 400)) return;
    clockMoved = true;
    await clock.advanceBy(advanceMs);
  };
  const flow = await runRemoteFlow({ mcpUrl: deployment.mcpUrl, toolCall: { name: target.remote.toolCall.name, arguments: { ...target.remote.toolCall.arguments } }, beforeSend });
  const ended = performance.now();
  history.push(JSON.stringify({ type: 'flow', advanceMs, clockMoved, clockOffsetMs: clock.offsetMs, outcome: flow.outcome, ...(flow.clientError ? { clientError: flow.clientError } : {}), hops: flow.hops }) + '\n');
  return summarise(flow, advanceMs, clockMoved, authorizeSentAt === undefined ? undefined : (callbackAnsweredBy ?? ended) - authorizeSentAt);
}

function summarise(flow: RemoteFlowResult, advanceMs: number, clockMoved: boolean, realSpanMs: number | undefined): RemoteTtlProbe {
  const madeOn = flow.hops.findLast((hop) => hop.kind === 'authorize' && hop.status !== undefined && hop.status < 400)?.replica;
  const callback = flow.hops.find((hop) => hop.kind === 'provider-callback');
  return {
    advanceMs,
    clockMoved,
    ...(realSpanMs !== undefined && callback ? { realSpanMs: Math.round(realSpanMs) } : {}),
    outcome: flow.outcome,
    ...(madeOn ? { madeOn } : {}),
    ...(callback
      ? { callback: { ...(callback.status !== undefined ? { status: callback.status } : {}), ...(callback.replica ? { replica: callback.replica } : {}), ...(callback.errorText ? { errorText: callback.errorText.slice(0, 200) } : {}) } }
      : {}),
    ...(flow.clientError ? { clientError: flow.clientError.slice(0, 300) } : {}),
  };
}
