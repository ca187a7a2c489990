/**
 * Finds secrets where they must never be: in logs, URLs and pages. Pure
 * functions of texts plus what the harness knows.
 *
 * Two ways to know a secret:
 * - by value: the client secrets the harness registered, tokens and
 *   verifiers read from a store's files where they are visible;
 * - by hash: a PKCE verifier is any string whose BASE64URL(SHA256(·)) is a
 *   code_challenge the tool process sent. That finds a verifier a store
 *   never shows (memory, a database), without ever holding it.
 * And, for logs, by shape: a secret-named field (`client_secret=…`,
 * `"accessToken":"…"`) whose value is not a redaction marker.
 */
import { createHash } from 'node:crypto';

export type SecretKind = 'client-secret' | 'access-token' | 'refresh-token' | 'token' | 'verifier' | 'authorization-code' | 'planted';

export interface KnownSecret {
  kind: SecretKind;
  value: string;
}

export interface ScannedText {
  /** Where the text came from: a log file, "URL", "page …". */
  source: string;
  text: string;
  /** Lines before this text in its source (a large file is scanned in slices). */
  lineOffset?: number;
}

export interface SecretFinding {
  kind: SecretKind | 'verifier-by-hash' | 'unredacted-field';
  source: string;
  /** 1-based line in the source. */
  line: number;
  /** The secret shortened to its first 6 characters: enough to find it, not to use it. */
  preview: string;
}

export interface SecretScanResult {
  scannedSources: number;
  scannedBytes: number;
  /** Distinct candidate strings hashed against the challenges. */
  candidatesHashed: number;
  findings: SecretFinding[];
}

/** Long enough that a match is not a coincidence with ordinary text. */
const MIN_SECRET_LENGTH = 16;
/** base64url runs: every secret this project issues or receives has this alphabet. */
const RUN = /[A-Za-z0-9_-]{16,}/g;
/** RFC 7636 §4.1 verifier: 43–128 unreserved characters. */
const VERIFIER_RUN = /[A-Za-z0-9._~-]{43,128}/g;
const SECRET_FIELD =
  /["']?\b(client_secret|clientSecret|code_verifier|codeVerifier|access_token|accessToken|refresh_token|refreshToken)\b["']?\s*[:=]\s*["']?([^"'\s,&}\]]+)/g;
const REDACTION_MARKER = /^\[?(redacted|REDACTED)|^\*+$|^<redacted>$|^\[REDACTED\]$/;

export interface ScanOptions {
  secrets: readonly KnownSecret[];
  /** code_challenge values (S256) of flows the target started. */
  challenges: ReadonlySet<string>;
  /** Also flag secret-named fields with a non-redacted value (logs). */
  fields?: boolean;
  /** Stop listing after this many findings per kind and source (the count still says how many). */
  maxFindings?: number;
}

export function scanForSecrets(texts: readonly ScannedText[], options: ScanOptions): SecretScanResult {
  const scanner = new SecretScanner(options);
  for (const text of texts) scanner.feed(text);
  return scanner.result();
}

/** The same scan, fed slice by slice (a log of hundreds of megabytes never sits in one string). */
export class SecretScanner {
  private readonly byValue = new Map<string, SecretKind>();
  private readonly lengths: number[];
  private readonly hashed = new Map<string, boolean>();
  private readonly findings: SecretFinding[] = [];
  private readonly perKey = new Map<string, number>();
  private readonly sources = new Set<string>();
  private scannedBytes = 0;

  constructor(private readonly options: ScanOptions) {
    for (const secret of options.secrets) if (secret.value.length >= MIN_SECRET_LENGTH) this.byValue.set(secret.value, secret.kind);
    this.lengths = [...new Set([...this.byValue.keys()].map((v) => v.length))].sort((a, b) => a - b);
  }

  feed({ source, text, lineOffset = 0 }: ScannedText): void {
    this.sources.add(source);
    this.scannedBytes += text.length;
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) this.scanLine(source, lines[index]!, lineOffset + index + 1);
  }

  result(): SecretScanResult {
    const findings = [...this.findings];
    // The count behind a capped list, so a report can say "and 1,203 more".
    const max = this.options.maxFindings ?? 20;
    for (const [key, n] of this.perKey) {
      if (n > max) {
        const [kind, source] = key.split('\u0000') as [SecretFinding['kind'], string];
        findings.push({ kind, source, line: 0, preview: `… ${n - max} more` });
      }
    }
    return { scannedSources: this.sources.size, scannedBytes: this.scannedBytes, candidatesHashed: this.hashed.size, findings };
  }

  private add(finding: SecretFinding): void {
    const key = `${finding.kind}\u0000${finding.source}`;
    const n = (this.perKey.get(key) ?? 0) + 1;
    this.perKey.set(key, n);
    if (n <= (this.options.maxFindings ?? 20)) this.findings.push(finding);
  }

  private scanLine(source: string, lineText: string, line: number): void {
    for (const match of lineText.matchAll(RUN)) {
      const run = match[0];
      const kind = this.byValue.get(run) ?? containedSecret(run, this.byValue, this.lengths);
      if (kind) this.add({ kind, source, line, preview: `${run.slice(0, 6)}…` });
    }
    if (this.options.challenges.size > 0) {
      for (const match of lineText.matchAll(VERIFIER_RUN)) {
        for (const candidate of verifierCandidates(match[0])) {
          let isVerifier = this.hashed.get(candidate);
          if (isVerifier === undefined) {
            isVerifier = this.options.challenges.has(createHash('sha256').update(candidate).digest('base64url'));
            this.hashed.set(candidate, isVerifier);
          }
          if (isVerifier && this.byValue.get(candidate) !== 'verifier') this.add({ kind: 'verifier-by-hash', source, line, preview: `${candidate.slice(0, 6)}…` });
        }
      }
    }
    if (this.options.fields) {
      for (const match of lineText.matchAll(SECRET_FIELD)) {
        const value = match[2] ?? '';
        if (value.length >= 8 && !REDACTION_MARKER.test(value)) {
          this.add({ kind: 'unredacted-field', source, line, preview: `${match[1]}=${value.slice(0, 6)}…` });
        }
      }
    }
  }
}

/** A secret glued to other base64url characters (`abc<secret>`) is still that secret. */
function containedSecret(run: string, byValue: ReadonlyMap<string, SecretKind>, lengths: readonly number[]): SecretKind | undefined {
  for (const length of lengths) {
    if (length >= run.length) break;
    for (let at = 0; at + length <= run.length; at++) {
      const kind = byValue.get(run.slice(at, at + length));
      if (kind) return kind;
    }
  }
  return undefined;
}

/** The run itself and, when it is longer than a verifier, each 43-character window at its ends. */
function verifierCandidates(run: string): string[] {
  if (run.length === 43) return [run];
  return [run, run.slice(0, 43), run.slice(-43)];
}

export function countByKind(findings: readonly SecretFinding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) {
    if (f.line === 0) {
      const more = Number(/(\d[\d,]*) more/.exec(f.preview)?.[1]?.replace(/,/g, '') ?? 0);
      counts[f.kind] = (counts[f.kind] ?? 0) + more;
    } else {
      counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    }
  }
  return counts;
}
