/**
 * Starts the mock Atlassian server (fixtures/atlassian-mock) as its own
 * loopback process and drives it through its admin API.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntryPoints, type CompileRequest } from '../target/compiled-entry-points.ts';
import { FROM_PACKAGE, prebuiltEntry } from '../../core/package-layout.ts';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import { startProviderInterception, type ProviderInterception } from '../interception/provider-interception.ts';
import type { FlowEvidence } from '../flow/token-handoff.ts';
import { isProviderName, type ProviderName } from '../../../fixtures/atlassian-mock/providers/provider-hosts.ts';
import { codeIdOf } from '../../../fixtures/atlassian-mock/flow-evidence.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MOCK_ENTRY = 'fixtures/atlassian-mock/server-process.ts';
/** How the mock is bundled: at a checkout's first run, or once at pack time for the installed package. */
export const MOCK_BUILD: CompileRequest = { name: 'atlassian-mock', sourceDirs: ['fixtures/atlassian-mock'], entries: [MOCK_ENTRY], bundleDependenciesExcept: [] };

/**
 * The mock compiled once per source version, with msw and its other
 * dependencies bundled: started with plain node it is up in about a quarter
 * of the time tsx takes to compile it (~900 → ~250 ms), and every run and
 * many test files start one.
 */
let compiledMock: string | undefined;
function compiledMockEntry(): string {
  compiledMock ??= FROM_PACKAGE ? prebuiltEntry(MOCK_BUILD.name, 'server-process') : path.join(compiledEntryPoints(PROJECT_ROOT, MOCK_BUILD), 'server-process.js');
  return compiledMock;
}

export const MOCK_USER_EMAIL = 'alice@acme-corp.example';
export const MOCK_COMPANY_URL = 'https://acme.atlassian.net';

export interface MockKnobs {
  latencyMs?: number;
  tokenEndpointFault?: null | 'hang' | 'malformed' | { status: number } | { error: string };
  denyConsent?: boolean;
  codeLifetimeMs?: number;
  pkcePolicy?: 'optional' | 'required';
  bodyFormats?: 'json-and-form' | 'json-only';
  identity?: 'per-authorization' | 'single-user';
  /** 'form': the provider's consent page, clicked by the user agent or the browser (fixtures/atlassian-mock/knobs.ts). */
  consent?: 'automatic' | 'form';
}

/** What the mock recorded of one authorization (fixtures/atlassian-mock/flow-evidence.ts, as served). */
export interface MockFlowRecord {
  state: string | null;
  clientId: string;
  codeChallengeMethod: 'S256' | 'plain' | null;
  identity: { accountId: string; email: string };
  redemptions: { at: number; ok: boolean; error?: string; errorDescription?: string; pid?: number; remotePort?: number }[];
  /** Which code the record is for (a hash of it: the code itself is never served). */
  codeId: string;
  familyId?: string;
  /** Set when the provider revoked this flow's tokens (a reused code). */
  revoked?: { at: number; because: string };
}

export interface MockStats {
  unhandledRequests: number;
  recentUnhandledRequests?: { method: string; url: string }[];
  [counter: string]: unknown;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
}

/** The mock's environment for a target: the provider profile it must play (MOCK_PROVIDER). */
export function mockEnvFor(target: { provider: ProviderName }): Record<string, string> {
  return { MOCK_PROVIDER: target.provider };
}

export class MockAtlassian implements FlowEvidence {
  private constructor(
    readonly child: RunningChild,
    readonly url: string,
    /** The provider profile it plays (MOCK_PROVIDER): the preload redirects this provider's hosts to it. */
    readonly provider: ProviderName,
    private readonly logDir: string,
  ) {}

  /** TLS fronts for servers that are not Node, by the hosts they answer for: started at the first need, stopped with the mock. */
  private readonly fronts = new Map<string, Promise<ProviderInterception>>();

  /** The TLS front (or, where no namespace can be made, the HTTPS proxy) that answers for `hosts` with this mock: one per mock, host list and mode. */
  providerInterception(hosts: readonly string[], mode: 'front' | 'proxy' = 'front'): Promise<ProviderInterception> {
    const key = `${mode}:${[...hosts].sort().join(',')}`;
    let front = this.fronts.get(key);
    if (!front) {
      // Named after its mock: a run may start several mocks, each with fronts (and files) of its own.
      const name = `${this.child.spec.name}-tls-front-${this.fronts.size + 1}`;
      front = startProviderInterception({ dir: path.join(this.logDir, name), logDir: this.logDir, mockUrl: this.url, hosts, name, mode });
      // A front that failed to start is tried again by the next deployment, not remembered as failed.
      front.catch(() => this.fronts.delete(key));
      this.fronts.set(key, front);
    }
    return front;
  }

  static async start(logDir: string, extraNodeArgs: readonly string[] = [], env: Record<string, string> = {}, name = 'atlassian-mock'): Promise<MockAtlassian> {
    const provider = env.MOCK_PROVIDER ?? 'atlassian';
    if (!isProviderName(provider)) throw new Error(`mock atlassian: MOCK_PROVIDER "${provider}" is not a provider profile`);
    const child = spawnChild({
      name,
      command: process.execPath,
      args: [...extraNodeArgs, compiledMockEntry()],
      cwd: PROJECT_ROOT,
      env: { MOCK_PORT: '0', MOCK_USER_EMAIL, ...env },
      logDir,
    });
    const ready = await child.waitForReady('stdout', 'atlassian-mock');
    return new MockAtlassian(child, ready.url, provider, logDir);
  }

  /** A fresh client per scenario × store, with a secret made for this run only. */
  async registerClient(clientId: string, redirectUris: string[] = []): Promise<RegisteredClient> {
    const clientSecret = randomBytes(24).toString('base64url');
    await this.admin('POST', '/__mock/clients', { clientId, clientSecret, redirectUris });
    return { clientId, clientSecret };
  }

  async addRedirectUri(clientId: string, uri: string): Promise<void> {
    await this.admin('POST', `/__mock/clients/${encodeURIComponent(clientId)}/redirect-uris`, { uri });
  }

  async setKnobs(knobs: MockKnobs): Promise<MockKnobs> {
    return (await this.admin('PATCH', '/__mock/knobs', knobs)) as MockKnobs;
  }

  async stats(): Promise<MockStats> {
    return (await this.admin('GET', '/__mock/stats')) as MockStats;
  }

  /** The mock's evidence of authorizations (all, or the one that carried `state`). */
  async flows(filter: { state?: string; identity?: string; codeId?: string } = {}): Promise<MockFlowRecord[]> {
    const params = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const query = params.size ? `?${params}` : '';
    return ((await this.admin('GET', `/__mock/flows${query}`)) as { flows: MockFlowRecord[] }).flows;
  }

  /** What the provider answered to each token request that named `code`, in order; undefined when it never issued that code. */
  async redemptionsOfCode(code: string): Promise<MockFlowRecord['redemptions'] | undefined> {
    return (await this.flows({ codeId: codeIdOf(code) }))[0]?.redemptions;
  }

  async identityOfState(state: string): Promise<readonly string[] | undefined> {
    const record = (await this.flows({ state }))[0];
    return record ? [record.identity.accountId, record.identity.email] : undefined;
  }

  async stateOfIdentity(identity: string): Promise<string | undefined> {
    const record = (await this.flows({ identity }))[0];
    return record?.state ?? undefined;
  }

  async requests(): Promise<unknown[]> {
    return (await this.admin('GET', '/__mock/requests')) as unknown[];
  }

  /** Its stats as they were when it stopped: a run reads the unhandled-request count from them. */
  finalStats: MockStats | undefined;

  async stop(): Promise<void> {
    if (this.child.isRunning) this.finalStats = await this.stats().catch(() => undefined);
    await Promise.all([...this.fronts.values()].map((front) => front.then((started) => started.stop()).catch(() => undefined)));
    await this.child.stop({ graceMs: 1000 });
  }

  private async admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.url), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`mock atlassian admin ${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  }
}
