/**
 * Security checks of issue 5, per store:
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
import { createReadStream, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { CaseOutcome, MeasureContext, ReliabilityRow } from '../measure/measure-context.ts';
import { PROJECT_ROOT } from '../run/run-folder.ts';
import type { TopologyName } from '../topology/topologies.ts';
import { DeploymentPool, type PooledDeployment } from '../hostile/deployment-pool.ts';
import { runLegitFlow } from '../hostile/observed-flow.ts';
import { filesUnder, octal, type FileOnDisk } from './file-modes.ts';
import { scanRepository, type RepoSecretScan } from './repo-secrets.ts';
import { countByKind, SecretScanner, type KnownSecret, type SecretScanResult } from './secret-scan.ts';
import { analyseStates, describeEntropy, judgeEntropy, type StateEntropy } from './state-entropy.ts';
import { drawStatesInProcess } from './state-generator-benchmark.ts';

export interface McpDraws {
  requested: number;
  drawn: number;
  /** Ended by the time budget before reaching `requested`. */
  timeBoxed: boolean;
  budgetMs: number;
  concurrency: number;
  durationMs: number;
  drawsPerSecond: number;
  toolErrors: number;
  entropy: StateEntropy;
}

export interface LogHygiene {
  files: number;
  bytes: number;
  /** Raw C0/C1 controls (other than tab), bidi and zero-width characters in process output. */
  rawControlChars: number;
  /** Lines that begin with text a hostile request placed after a line break. */
  forgedLines: { file: string; line: number; preview: string }[];
}

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
  /** src/'s generator in-process (not per store). */
  inProcess: { draws: number; drawsPerSecond: number; durationMs: number; entropy: StateEntropy };
  /** Logs of the run not attributable to one store (the mock's, say). */
  sharedLogs: { files: string[]; scan: SecretScanResult; hygiene: LogHygiene };
  knownSecrets: Record<string, number>;
  repository: RepoSecretScan;
  /** Mode of the harness's os.tmpdir(): where the write-up's default SESSION_FILE lives. */
  realTmpdir: { path: string; mode: string };
  errors: { store: string; error: string }[];
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
const DRAW_CONCURRENCY = 8;

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
          errors.push({ store, error: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
  } finally {
    // Stopped (a shared pool too) before logs and files are read: every process has then flushed and closed them.
    await pool.stop();
  }

  const inProcessCount = options.inProcessDraws ?? (ctx.quick ? 2000 : 100_000);
  const generator = await drawStatesInProcess(inProcessCount);
  const inProcess = { draws: inProcessCount, drawsPerSecond: generator.drawsPerSecond, durationMs: generator.durationMs, entropy: analyseStates(generator.states) };

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
    inProcess,
    sharedLogs: { files: sharedFiles, scan: scannerFor('(shared)').scanner.result(), hygiene: scannerFor('(shared)').hygiene },
    knownSecrets,
    repository: await scanRepository(PROJECT_ROOT),
    realTmpdir: { path: tmp, mode: octal(statSync(tmp).mode) },
    errors,
    durationMs: Math.round(performance.now() - started),
  };
}

async function drawViaMcp(pool: DeploymentPool, pd: PooledDeployment, requested: number, budgetMs: number): Promise<{ draws: McpDraws; urls: string[] }> {
  const { target } = pool.ctx;
  const states: string[] = [];
  const urls: string[] = [];
  let toolErrors = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + budgetMs;
  pd.history.record({ type: 'invoke', f: 'draw-states', process: `tool#${pd.deployment.toolPid}`, value: { requested, budgetMs } });
  await Promise.all(
    Array.from({ length: DRAW_CONCURRENCY }, async () => {
      while (issued < requested && performance.now() < deadline) {
        issued += 1;
        try {
          const result = await pd.deployment.tool.call(target.tools.startFlow);
          const authUrl = result.isError ? undefined : target.authorizeUrlFrom(result);
          const state = authUrl ? new URL(authUrl).searchParams.get('state') : null;
          if (!authUrl || state === null) {
            toolErrors += 1;
            continue;
          }
          states.push(state);
          urls.push(authUrl);
          const challenge = new URL(authUrl).searchParams.get('code_challenge');
          if (challenge) pool.challenges.add(challenge);
        } catch {
          toolErrors += 1;
        }
      }
    }),
  );
  const durationMs = performance.now() - started;
  const draws: McpDraws = {
    requested,
    drawn: states.length,
    timeBoxed: states.length + toolErrors < requested,
    budgetMs,
    concurrency: DRAW_CONCURRENCY,
    durationMs: Math.round(durationMs),
    drawsPerSecond: Math.round(states.length / (durationMs / 1000)),
    toolErrors,
    entropy: analyseStates(states),
  };
  pd.history.record({ type: 'ok', f: 'draw-states', process: `tool#${pd.deployment.toolPid}`, value: { drawn: draws.drawn, drawsPerSecond: draws.drawsPerSecond, toolErrors } });
  return { draws, urls };
}

const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
/** The harness writes each line of a child's output as `<ms> <stream> <line>`. */
const LOG_PREFIX = /^\s*\d+ (?:stdout|stderr) /;

async function scanLogFile(file: string, source: string, scanner: SecretScanner, hygiene: LogHygiene, markers: readonly string[]): Promise<void> {
  hygiene.files += 1;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let slice: string[] = [];
  let lineNo = 0;
  let sliceStart = 0;
  const flush = () => {
    if (slice.length === 0) return;
    scanner.feed({ source, text: slice.join('\n'), lineOffset: sliceStart });
    sliceStart = lineNo;
    slice = [];
  };
  for await (const line of lines) {
    lineNo += 1;
    hygiene.bytes += line.length + 1;
    const controls = line.match(RAW_CONTROL);
    if (controls) hygiene.rawControlChars += controls.length;
    const payload = line.replace(LOG_PREFIX, '');
    if (markers.some((m) => payload.startsWith(m)) && hygiene.forgedLines.length < 10) {
      hygiene.forgedLines.push({ file: source, line: lineNo, preview: JSON.stringify(payload.slice(0, 60)) });
    }
    slice.push(line);
    if (slice.length >= 5000) flush();
  }
  flush();
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const full = path.join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat?.isDirectory()) out.push(...listFiles(full));
    else if (stat?.isFile()) out.push(full);
  }
  return out;
}

function safeParam(url: string, name: string): string | null {
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- verdicts

const command = (quick: boolean) => (quick ? 'npm run repro' : 'npm run bench');

function describeFindings(scan: SecretScanResult): string {
  const counts = countByKind(scan.findings);
  const listed = scan.findings.filter((f) => f.line > 0).slice(0, 3).map((f) => `${f.kind} ${f.preview} at ${f.source}${f.line ? `:${f.line}` : ''}`);
  return `${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')} (e.g. ${listed.join('; ')})`;
}

const sessionFiles = (s: StoreSecurity) => s.files.filter((f) => f.verifierCount > 0 || f.tokenCount > 0);

export function securityRows(result: SecurityResult): ReliabilityRow[] {
  const cmd = command(result.quick);
  const rows: ReliabilityRow[] = [];
  const row = (id: string, what: string, judge: (s: StoreSecurity) => { outcome: CaseOutcome; detail: string }) => {
    const perStore: ReliabilityRow['perStore'] = {};
    for (const store of result.stores) {
      const s = result.perStore.find((x) => x.store === store);
      perStore[store] = s ? judge(s) : { outcome: 'unknown', detail: `not measured: ${result.errors.find((e) => e.store === store)?.error.split('\n')[0] ?? 'no data'}` };
    }
    rows.push({ id: `security/${id}`, group: 'security', what, perStore, command: cmd });
  };

  row('session-file-mode', 'mode bits of every file the store wrote that holds PKCE verifiers or tokens; can another local user read it', (s) => {
    const files = sessionFiles(s);
    if (files.length === 0) {
      return { outcome: 'pass', detail: `no file holding verifiers or tokens under the hosts' TMPDIR and HOME (${s.files.length} file(s) there)` };
    }
    const exposed = files.filter((f) => f.groupOrOtherReadable);
    const detail = files
      .map((f) => `${f.relative}: ${f.mode}${f.symlink ? ' (symlink)' : ''}, ${f.size} B, ${f.verifierCount} verifiers, ${f.tokenCount} tokens${f.groupOrOtherReadable ? `, readable by ${f.otherUserCanRead ? 'any local user (o+r and every folder above o+x)' : 'group/other bits set'}` : ''}`)
      .join('; ');
    return { outcome: exposed.length === 0 ? 'pass' : 'fail', detail };
  });

  row('session-folder-mode', 'mode bits of the folder those files live in (here the simulated host TMPDIR; by default os.tmpdir())', (s) => {
    const files = sessionFiles(s);
    const tmpNote = `default SESSION_FILE folder ${result.realTmpdir.path} is ${result.realTmpdir.mode}${result.realTmpdir.mode.startsWith('01') ? ' (world-writable, sticky: every local user can create files there)' : ''}`;
    if (files.length === 0) return { outcome: 'pass', detail: `no session file; ${tmpNote}` };
    const folders = [...new Map(files.map((f) => [path.dirname(f.relative), f])).values()];
    const bad = folders.filter((f) => f.folderWritableByOthers);
    return {
      outcome: bad.length === 0 ? 'pass' : 'fail',
      detail: `${folders.map((f) => `${path.dirname(f.relative)}/: ${f.folderMode}${f.folderSticky ? ' sticky' : ''}${f.folderWritableByOthers ? ', writable by others without sticky bit' : ''}`).join('; ')}; ${tmpNote}`,
    };
  });

  row('state-entropy-mcp', 'states issued by the tool process over MCP (start_oauth): uniqueness, length, alphabet, entropy, χ² against uniform base64url', (s) => {
    const verdict = judgeEntropy(s.draws.entropy);
    const how = `${s.draws.drawn.toLocaleString('en-US')} draws via MCP at ${s.draws.drawsPerSecond}/s (${s.draws.concurrency} in flight${s.draws.timeBoxed ? `, stopped by the ${s.draws.budgetMs / 1000} s budget before ${s.draws.requested.toLocaleString('en-US')}` : ''}${s.draws.toolErrors ? `, ${s.draws.toolErrors} tool errors` : ''})`;
    return { outcome: verdict.ok ? 'pass' : 'fail', detail: `${how}: ${describeEntropy(s.draws.entropy)}${verdict.problems.length ? `; ${verdict.problems.join('; ')}` : ''}` };
  });

  const gen = judgeEntropy(result.inProcess.entropy);
  row('state-entropy-in-process', "src/'s OAuth manager drawn in-process (micro-benchmark, same generator for every store of src/; not via MCP)", () => ({
    outcome: gen.ok ? 'pass' : 'fail',
    detail: `${result.inProcess.draws.toLocaleString('en-US')} draws at ${result.inProcess.drawsPerSecond.toLocaleString('en-US')}/s: ${describeEntropy(result.inProcess.entropy)}${gen.problems.length ? `; ${gen.problems.join('; ')}` : ''}`,
  }));

  row('verifier-never-exposed', 'no PKCE verifier in any URL or page the user saw (found by value, and by hash against every code_challenge sent)', (s) => {
    const verifierFindings = s.exposure.findings.filter((f) => f.kind === 'verifier' || f.kind === 'verifier-by-hash');
    const other = s.exposure.findings.filter((f) => f.kind !== 'verifier' && f.kind !== 'verifier-by-hash');
    const bad = [...verifierFindings, ...other];
    return {
      outcome: bad.length === 0 ? 'pass' : 'fail',
      detail:
        bad.length === 0
          ? `${s.exposure.urls.toLocaleString('en-US')} URLs and ${s.exposure.pages} pages: no verifier, client secret or token (${s.exposure.candidatesHashed.toLocaleString('en-US')} candidate strings hashed)`
          : describeFindings({ ...s.exposure, findings: bad }),
    };
  });

  row('log-redaction', 'client secret, tokens, PKCE verifiers and codes absent from every log the processes wrote (this store\'s logs plus the run\'s shared logs)', (s) => {
    const findings = [...s.logs.findings, ...result.sharedLogs.scan.findings];
    const known = Object.entries(result.knownSecrets).map(([k, n]) => `${n} ${k}`).join(', ');
    return {
      outcome: findings.length === 0 ? 'pass' : 'fail',
      detail:
        findings.length === 0
          ? `${s.logHygiene.files} log files of this store (${mb(s.logHygiene.bytes)}) + ${result.sharedLogs.hygiene.files} shared (${mb(result.sharedLogs.hygiene.bytes)}): none of the known secrets (${known}) by value, no verifier by hash, no unredacted secret field`
          : describeFindings({ ...s.logs, findings }),
    };
  });

  row('log-injection', 'no raw control, bidi or zero-width character and no forged line (hostile text after a CR/LF) in the logs', (s) => {
    const h = s.logHygiene;
    const ok = h.rawControlChars === 0 && h.forgedLines.length === 0;
    return {
      outcome: ok ? 'pass' : 'fail',
      detail: ok
        ? `${h.files} log files, ${mb(h.bytes)}: none`
        : `${h.rawControlChars} raw control characters; ${h.forgedLines.length} forged lines${h.forgedLines[0] ? ` (e.g. ${h.forgedLines[0].file}:${h.forgedLines[0].line} ${h.forgedLines[0].preview})` : ''}`,
    };
  });

  const repo = result.repository;
  row('no-secret-in-repository', 'git grep of tracked and untracked files for keys, provider tokens and secret-named literals', () => ({
    outcome: repo.error ? 'unknown' : repo.findings.length === 0 ? 'pass' : 'fail',
    detail: repo.error
      ? repo.error
      : repo.findings.length === 0
        ? `${repo.filesSearched} files: nothing that looks real (${repo.placeholders} made-up test literals ignored)`
        : repo.findings.slice(0, 5).map((f) => `${f.rule} at ${f.file}:${f.line} ${f.preview}`).join('; '),
  }));
  return rows;
}

const mb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);
