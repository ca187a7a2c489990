/**
 * The deployments the reliability measurements (hostile input, provider
 * faults, security) run against, started once per store × topology and
 * shared by the three, because starting two Node processes costs more than
 * all their cases together. It also keeps what the security checks need to
 * know afterwards: the client secrets it registered, every URL and page a
 * user was shown, the PKCE challenges the tool processes sent.
 *
 * Every deployment is given a short provider timeout (input.providerTimeoutMs), so that the
 * "token endpoint hangs" fault ends in seconds; nothing else here comes near it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RunFolder } from '../core/run-folder.ts';
import type { TargetDescription } from './target/target-description.ts';
import type { MockAtlassian, RegisteredClient } from './services/mock-atlassian.ts';
import { History } from '../core/history.ts';
import { AnswerTimes, paceTimeout, type RunPace } from '../core/pace.ts';
import { Deployment } from './deployment.ts';
import type { TopologyName } from '../core/topologies.ts';

export interface PooledDeployment {
  store: string;
  topology: TopologyName;
  label: string;
  deployment: Deployment;
  history: History;
  /** The OAuth client the deployment's processes were configured with. */
  client: RegisteredClient;
  /** How long its callback took to answer the requests made so far: the budget of the next one. */
  answers: AnswerTimes;
}

/** What users (and the network) saw: checked afterwards for secrets that must never show. */
export interface Exposure {
  urls: { store: string; url: string }[];
  pages: { store: string; url: string; body: string }[];
}

export interface PoolOptions {
  /** Names labels, logs and hosts: unique per pool in a run. */
  name: string;
  /** The provider timeout every process of the pool is given (input.providerTimeoutMs). */
  httpTimeoutMs?: number;
}

let poolCounter = 0;

/** What a pool needs of the run (a measurement's context is exactly this). */
export interface PoolContext {
  run: RunFolder;
  /** The run's mock Atlassian server (one per run, shared by every measurement). */
  mock: MockAtlassian;
  target: TargetDescription;
  /** Stores to measure (a subset of target.stores). */
  stores: string[];
  /** true inside `npm run repro` (seconds), false inside `npm run bench` (minutes). */
  quick: boolean;
  /** How fast the scenario table's flows went in this run: the timeouts that decide verdicts grow with it. */
  pace?: RunPace;
  onProgress?: (message: string) => void;
}

export class DeploymentPool {
  readonly httpTimeoutMs: number;
  readonly clients = new Map<string, RegisteredClient>();
  readonly exposure: Exposure = { urls: [], pages: [] };
  /** PKCE challenges seen in authorize URLs: a verifier is whatever hashes to one. */
  readonly challenges = new Set<string>();
  private readonly started = new Map<string, Promise<PooledDeployment>>();
  private readonly prefix: string;

  constructor(
    readonly ctx: PoolContext,
    options: PoolOptions,
  ) {
    poolCounter += 1;
    this.prefix = `${options.name}-${process.pid}-${poolCounter}`;
    // The targets' own provider timeout: short, so that the "token endpoint hangs" fault ends in seconds, but never shorter than 10 × how long a whole flow took in this run's table, so that on a busy machine a legitimate exchange is not cut off.
    this.httpTimeoutMs = options.httpTimeoutMs ?? paceTimeout(ctx.quick ? 2000 : 5000, ctx.pace);
  }

  /** Registers a client that is not one of the pool's deployments (another user's app), remembering its secret. */
  async registerForeignClient(clientId: string, redirectUris: string[]): Promise<RegisteredClient> {
    const client = await this.ctx.mock.registerClient(clientId, redirectUris);
    this.clients.set(client.clientId, client);
    return client;
  }

  get(store: string, topology: TopologyName): Promise<PooledDeployment> {
    const key = `${store}.${topology}`;
    let pending = this.started.get(key);
    if (!pending) {
      // Deployment.start already tried again under fresh labels; a start that failed every attempt stays failed for the rest of the pool, so each later caller gets the same HarnessError instead of a pointless new round.
      pending = this.start(store, topology);
      pending.catch(() => undefined);
      this.started.set(key, pending);
    }
    return pending;
  }

  /** Registers a URL or page a user saw, and the PKCE challenge an authorize URL carried. */
  sawUrl(url: string, store: string): void {
    this.exposure.urls.push({ store, url });
    try {
      const challenge = new URL(url).searchParams.get('code_challenge');
      if (challenge) this.challenges.add(challenge);
    } catch {
      // Not a URL: still kept as seen text.
    }
  }

  sawPage(url: string, body: string, store: string): void {
    this.exposure.pages.push({ store, url, body });
  }

  async stop(): Promise<void> {
    const all = await Promise.allSettled([...this.started.values()]);
    await Promise.all(
      all.map(async (settled) => {
        if (settled.status !== 'fulfilled') return;
        await settled.value.deployment.stop().catch(() => undefined);
        await settled.value.history.close();
      }),
    );
    this.started.clear();
  }

  private async start(store: string, topology: TopologyName): Promise<PooledDeployment> {
    const { ctx } = this;
    const label = `${this.prefix}.${store}.${topology}`;
    const historyFile = path.join(ctx.run.dir, 'history', `${label}.jsonl`);
    mkdirSync(path.dirname(historyFile), { recursive: true });
    const history = new History(historyFile);
    try {
      const deployment = await Deployment.start({
        target: ctx.target,
        topology,
        store,
        label,
        mock: ctx.mock,
        run: ctx.run,
        history,
        providerTimeoutMs: this.httpTimeoutMs,
      });
      const client = deployment.registeredClient;
      this.clients.set(client.clientId, client);
      ctx.onProgress?.(`${deployment.label}: up (${deployment.processes.map((p) => `${p.role} ${p.pid}`).join(', ')})`);
      return { store, topology, label: deployment.label, deployment, history, client, answers: new AnswerTimes() };
    } catch (error) {
      await history.close();
      throw error;
    }
  }
}


export { processAlive } from '../core/process-alive.ts';
