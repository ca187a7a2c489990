/** The security rows of "Reliability and security", from the measured facts. */
import { reproCommand, type CaseOutcome, type ReliabilityRow } from '../measure-context.ts';
import { notRunCell } from '../setup-error.ts';
import { describeEntropy, judgeEntropy } from './state-entropy.ts';
import type { SecurityResult, StoreSecurity } from './measure-security.ts';
import { countByKind, type SecretScanResult } from './secret-scan.ts';


function describeFindings(scan: SecretScanResult): string {
  const counts = countByKind(scan.findings);
  const listed = scan.findings.filter((f) => f.line > 0).slice(0, 3).map((f) => `${f.kind} ${f.preview} at ${f.source}${f.line ? `:${f.line}` : ''}`);
  return `${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')} (e.g. ${listed.join('; ')})`;
}

const sessionFiles = (s: StoreSecurity) => s.files.filter((f) => f.verifierCount > 0 || f.tokenCount > 0);

/**
 * The session file's mode, judged once. n/a when the store left no file
 * holding verifiers or tokens: there is no file whose mode could be wrong.
 */
export function judgeSessionFileMode(s: StoreSecurity, realTmpdir: SecurityResult['realTmpdir']): { outcome: CaseOutcome; detail: string } {
  const tmpNote = `default folder of the write-up's SESSION_FILE: ${realTmpdir.path} ${realTmpdir.mode}${realTmpdir.mode.startsWith('01') ? ' (world-writable, sticky: planting there is judged by tmp-symlink and tmp-precreated-file)' : ''}`;
  const files = sessionFiles(s);
  if (files.length === 0) {
    return { outcome: 'n/a', detail: `no file holding verifiers or tokens under the hosts' TMPDIR and HOME (${s.files.length} file(s) there): the store keeps no session file` };
  }
  const readable = files.filter((f) => f.groupOrOtherReadable);
  const replaceable = files.filter((f) => f.folderWritableByOthers);
  const detail = files
    .map(
      (f) =>
        `${f.relative}: ${f.mode}${f.symlink ? ' (symlink)' : ''}, ${f.size} B, ${f.verifierCount} verifiers, ${f.tokenCount} tokens` +
        `${f.groupOrOtherReadable ? `, readable by ${f.otherUserCanRead ? 'any local user (o+r and every folder above o+x)' : 'group/other bits set'}` : ''}` +
        `; folder ${f.folderMode}${f.folderSticky ? ' sticky' : ''}${f.folderWritableByOthers ? ', writable by others without sticky bit: anyone can replace the file' : ''}`,
    )
    .join('; ');
  return { outcome: readable.length === 0 && replaceable.length === 0 ? 'pass' : 'fail', detail: `${detail}; ${tmpNote}` };
}

/** A checker that crashes gives unknown with the error, never a pass. */
function judgeSafely(judge: (s: StoreSecurity) => { outcome: CaseOutcome; detail: string }, s: StoreSecurity): { outcome: CaseOutcome; detail: string } {
  try {
    return judge(s);
  } catch (error) {
    return { outcome: 'unknown', detail: `checker failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function securityRows(result: SecurityResult): ReliabilityRow[] {
  const cmd = reproCommand(result.quick);
  const rows: ReliabilityRow[] = [];
  const row = (id: string, what: string, judge: (s: StoreSecurity) => { outcome: CaseOutcome; detail: string }) => {
    const perStore: ReliabilityRow['perStore'] = {};
    const notApplicable = result.notApplicable?.[`security/${id}`];
    for (const store of result.stores) {
      if (notApplicable) {
        perStore[store] = { outcome: 'n/a', detail: notApplicable };
        continue;
      }
      const s = result.perStore.find((x) => x.store === store);
      perStore[store] = s ? judgeSafely(judge, s) : notRunCell(result.errors, store);
    }
    rows.push({ id: `security/${id}`, group: 'security', what, perStore, command: cmd });
  };

  // The one row for the session file's mode, so it is never counted twice: the file's
  // bits and its folder's, judged once. A world-writable *sticky* folder such
  // as /tmp is stated, not failed here: what it allows (planting a symlink or
  // a file before the store) is judged by tmp-symlink and tmp-precreated-file.
  row('session-file-mode', "mode bits of every file the store wrote that holds PKCE verifiers or tokens, and of its folder: can another local user read the file, or replace it", (s) => judgeSessionFileMode(s, result.realTmpdir));

  row('state-entropy-mcp', 'states issued by the tool process over MCP (start_oauth): uniqueness, length, alphabet, entropy, χ² against uniform base64url', (s) => {
    const verdict = judgeEntropy(s.draws.entropy);
    const how = `${s.draws.drawn.toLocaleString('en-US')} draws via MCP at ${s.draws.drawsPerSecond}/s (${s.draws.concurrency} in flight${s.draws.timeBoxed ? `, stopped by the ${s.draws.budgetMs / 1000} s budget before ${s.draws.requested.toLocaleString('en-US')}` : ''}${s.draws.toolErrors ? `, ${s.draws.toolErrors} tool errors` : ''})`;
    return { outcome: verdict.ok ? 'pass' : 'fail', detail: `${how}: ${describeEntropy(s.draws.entropy)}${verdict.problems.length ? `; ${verdict.problems.join('; ')}` : ''}` };
  });

  const inProcess = result.inProcess;
  row('state-entropy-in-process', "src/'s OAuth manager drawn in-process (micro-benchmark; judged for the stores whose states over MCP are that generator's, not via MCP)", (s) => {
    if (!inProcess) return { outcome: 'unknown', detail: 'the in-process draw was not made' };
    // A store that mints its own state (a sealed envelope, say) does not hand its users this generator's states: judging it on them would blame it for code it does not run.
    const own = s.draws.entropy;
    if (own.draws > 0 && (own.length.min !== inProcess.entropy.length.min || own.length.max !== inProcess.entropy.length.max)) {
      return { outcome: 'n/a', detail: `this store mints its own state (${own.length.min === own.length.max ? own.length.min : `${own.length.min}–${own.length.max}`} characters over MCP, the generator's ${inProcess.entropy.length.min}): its own states are judged by state-entropy-mcp` };
    }
    const gen = judgeEntropy(inProcess.entropy);
    return {
      outcome: gen.ok ? 'pass' : 'fail',
      detail: `${inProcess.draws.toLocaleString('en-US')} draws at ${inProcess.drawsPerSecond.toLocaleString('en-US')}/s: ${describeEntropy(inProcess.entropy)}${gen.problems.length ? `; ${gen.problems.join('; ')}` : ''}`,
    };
  });

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
