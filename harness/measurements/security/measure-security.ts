/**
 * harness/measurements/security/: file modes, state entropy, secrets in logs, pages and the repository.
 *
 * Security checks, per store:
 * - what the store leaves on disk (file and folder mode bits, who else can
 *   read it, and whether it holds PKCE verifiers or tokens);
 * - the states the tool process issues over MCP: uniqueness, length,
 *   alphabet, entropy estimate, chi-square (plus src/'s generator drawn
 *   in-process, labelled as such);
 * - the PKCE verifier never in a URL, a page or a log (found by hash against
 *   the code_challenges the tool process sent, and by value where a store
 *   shows its verifiers);
 * - the client secret, tokens, verifiers and codes absent from every log of
 *   the run folder, and no forged log line or raw control character there;
 * - no secret in the repository.
 *
 * Run it last, with the pool the hostile-input and provider-fault
 * measurements used: the secrets, logs and pages they produced are then part
 * of what is checked. It stops that pool before it reads logs and files.
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MeasureContext } from '../measure-context.ts';
import type { TopologyName } from '../../core/topologies.ts';
import { DeploymentPool, type PooledDeployment } from '../../deploy/deployment-pool.ts';
import { runLegitFlow } from '../../deploy/flow/observed-flow.ts';
import { filesUnder, octal, type FileOnDisk } from './file-modes.ts';
import { scanRepository, type RepoSecretScan } from './repo-secrets.ts';
import { SecretScanner, type KnownSecret, type SecretScanResult } from './secret-scan.ts';
import { analyseStates, type StateEntropy } from './state-entropy.ts';
import { drawStatesInProcess } from './state-generator-benchmark.ts';
import { listFiles, scanLogFile, type LogHygiene } from './log-scan.ts';
import { drawViaMcp, type McpDraws } from './mcp-state-draws.ts';
import { setupError, type SetupError } from '../setup-error.ts';
import { securityRowsNotApplicable } from './security-row-needs.ts';

export type { LogHygiene, McpDraws };

export interface StoreSecurity {
  store: string;
  topology: TopologyName;
  label: string;
  draws: McpDraws;
  /** Files the deployment's processes left under their hosts' TMPDIR and HOME (contents summarised). */
  files: (Omit<FileOnDisk, 'verifiers' | 'tokens' | 'absolute'> & { verifierCount: number; tokenCount: number })[];
  /** Verifiers, secrets, tokens in the URLs and pages this store's flows showed. */
  exposure: SecretScanResult & { urls: number; pages: number };
  /** This store's process logs (file names carrying `.<store>.`). */
  logs: SecretScanResult;
  logHygiene: LogHygiene;
}

export interface SecurityResult {
  quick: boolean;
  stores: string[];
  perStore: StoreSecurity[];
  /** src/'s generator in-process (not per store); absent when the target gives no store module (see notApplicable). */
  inProcess?: { draws: number; drawsPerSecond: number; durationMs: number; entropy: StateEntropy };
  /** Rows that cannot apply to this target (security-row-needs.ts), with why; every other row ran. */
  notApplicable?: Record<string, string>;
  /** Logs of the run not attributable to one store (the mock's, say). */
  sharedLogs: { files: string[]; scan: SecretScanResult; hygiene: LogHygiene };
  knownSecrets: Record<string, number>;
  repository: RepoSecretScan;
  /** Mode of the harness's os.tmpdir(): where the write-up's default SESSION_FILE lives. */
  realTmpdir: { path: string; mode: string };
  errors: SetupError[];
  durationMs: number;
}

export interface SecurityOptions {
  /** The pool of the measurements before it; stopped by this one. */
  pool?: DeploymentPool;
  /** States to draw via MCP per store (quick 2,000, full 100,000). */
  mcpDraws?: number;
  /** Time budget per store for the MCP draws (quick 2 s, full 15 s). */
  drawBudgetMs?: number;
  /** States drawn in-process from src/'s OAuth manager (quick 2,000, full 100,000). */
  inProcessDraws?: number;
  /** Hostile text placed after line breaks (from the hostile cases), to spot forged log lines. */
  forgedLineMarkers?: string[];
}

/** Text the hostile battery puts after a CR/LF; a log line starting with it was forged. */
export const DEFAULT_FORGED_LINE_MARKERS = ['Set-Cookie: pwned', 'X-Injected:', '<html>injected'];

export async function measureSecurity(ctx: MeasureContext, options: SecurityOptions = {}): Promise<SecurityResult> {
  const started = performance.now();
  const pool = options.pool ?? new DeploymentPool(ctx, { name: 'security' });
  const requested = options.mcpDraws ?? (ctx.quick ? 2000 : 100_000);
  const budgetMs = options.drawBudgetMs ?? (ctx.quick ? 2000 : 15_000);
  const markers = (options.forgedLineMarkers ?? DEFAULT_FORGED_LINE_MARKERS).map((m) => m.slice(0, 5));
  const perStoreDraws = new Map<string, { pd: PooledDeployment; draws: McpDraws; urls: string[] }>();
  const errors: SecurityResult['errors'] = [];
  try {
    await Promise.all(
      ctx.stores.map(async (store) => {
        try {
          const pd = await pool.get(store, 'split-process');
          // One full flow, so that a store that keeps tokens has some to look for.
          await runLegitFlow(pool, pd);
          const { draws, urls } = await drawViaMcp(pool, pd, requested, budgetMs);
          perStoreDraws.set(store, { pd, draws, urls });
          ctx.onProgress?.(`security × ${store}: ${draws.drawn} states via MCP (${draws.drawsPerSecond}/s)`);
        } catch (error) {
          errors.push(setupError(store, error));
        }
      }),
    );
  } finally {
    // Stopped (a shared pool too) before logs and files are read: every process has then flushed and closed them.
    await pool.stop();
  }

  const notApplicable = securityRowsNotApplicable(ctx.target);
  let inProcess: SecurityResult['inProcess'];
  if (!notApplicable['security/state-entropy-in-process']) {
    const inProcessCount = options.inProcessDraws ?? (ctx.quick ? 2000 : 100_000);
    const generator = await drawStatesInProcess(inProcessCount);
    inProcess = { draws: inProcessCount, drawsPerSecond: generator.drawsPerSecond, durationMs: generator.durationMs, entropy: analyseStates(generator.states) };
  }

  // Files first: they tell which verifiers and tokens exist by value.
  const filesByStore = new Map<string, FileOnDisk[]>();
  for (const [store, { pd }] of perStoreDraws) {
    const hostRoots = [...new Set([path.dirname(pd.deployment.toolHostTmp), path.dirname(pd.deployment.callbackHostTmp)])];
    filesByStore.set(store, filesUnder(hostRoots, pool.challenges, path.dirname(hostRoots[0]!)));
  }
  const known: KnownSecret[] = [...pool.clients.values()].map((c) => ({ kind: 'client-secret', value: c.clientSecret }));
  for (const files of filesByStore.values()) {
    for (const file of files) {
      for (const v of file.verifiers) known.push({ kind: 'verifier', value: v });
      for (const t of file.tokens) known.push({ kind: t.kind, value: t.value });
    }
  }
  for (const { url } of pool.exposure.urls) {
    const code = safeParam(url, 'code');
    if (code && code.length >= 16) known.push({ kind: 'authorization-code', value: code });
  }
  const knownSecrets: Record<string, number> = {};
  for (const k of known) knownSecrets[k.kind] = (knownSecrets[k.kind] ?? 0) + 1;
  const scanOptions = { secrets: known, challenges: pool.challenges };

  // Every log of the run folder, each read once, attributed to a store by its name.
  const logFiles = listFiles(ctx.run.logDir);
  const storeOf = (file: string) => ctx.stores.find((store) => path.basename(file).includes(`.${store}.`));
  const logScanners = new Map<string, SecretScanner>();
  const hygiene = new Map<string, LogHygiene>();
  const scannerFor = (key: string) => {
    let scanner = logScanners.get(key);
    if (!scanner) {
      scanner = new SecretScanner({ ...scanOptions, fields: true });
      logScanners.set(key, scanner);
      hygiene.set(key, { files: 0, bytes: 0, rawControlChars: 0, forgedLines: [] });
    }
    return { scanner, hygiene: hygiene.get(key)! };
  };
  const sharedFiles: string[] = [];
  for (const file of logFiles) {
    const key = storeOf(file) ?? '(shared)';
    if (key === '(shared)') sharedFiles.push(path.relative(ctx.run.dir, file));
    const target = scannerFor(key);
    await scanLogFile(file, path.relative(ctx.run.dir, file), target.scanner, target.hygiene, markers);
  }

  const perStore: StoreSecurity[] = [];
  for (const store of ctx.stores) {
    const entry = perStoreDraws.get(store);
    if (!entry) continue;
    // A code in the redirect URL is the protocol itself; anything else known is not.
    const exposureScanner = new SecretScanner({ ...scanOptions, secrets: known.filter((k) => k.kind !== 'authorization-code') });
    const urls = pool.exposure.urls.filter((u) => u.store === store);
    for (const { url } of urls) exposureScanner.feed({ source: 'URL shown to the user', text: url });
    for (const url of entry.urls) exposureScanner.feed({ source: 'authorize URL from start_oauth', text: url });
    const pages = pool.exposure.pages.filter((p) => p.store === store);
    for (const page of pages) exposureScanner.feed({ source: `page ${page.url.slice(0, 80)}`, text: page.body });
    const files = (filesByStore.get(store) ?? []).map(({ verifiers, tokens, absolute: _absolute, ...rest }) => ({ ...rest, verifierCount: verifiers.length, tokenCount: tokens.length }));
    perStore.push({
      store,
      topology: entry.pd.topology,
      label: entry.pd.label,
      draws: entry.draws,
      files,
      exposure: { ...exposureScanner.result(), urls: urls.length + entry.urls.length, pages: pages.length },
      logs: scannerFor(store).scanner.result(),
      logHygiene: scannerFor(store).hygiene,
    });
  }

  const tmp = os.tmpdir();
  return {
    quick: ctx.quick,
    stores: [...ctx.stores],
    perStore,
    ...(inProcess ? { inProcess } : {}),
    notApplicable,
    sharedLogs: { files: sharedFiles, scan: scannerFor('(shared)').scanner.result(), hygiene: scannerFor('(shared)').hygiene },
    knownSecrets,
    // The target's own checkout (src/ and the fixtures: this repository's).
    repository: await scanRepository(ctx.target.cwd),
    realTmpdir: { path: tmp, mode: octal(statSync(tmp).mode) },
    errors,
    durationMs: Math.round(performance.now() - started),
  };
}



function safeParam(url: string, name: string): string | null {
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- verdicts

