/**
 * "No secret in the repository": `git grep` over tracked and untracked
 * (not ignored) files for what secrets look like: key headers, provider
 * token formats, and secret-named variables assigned a literal. A literal
 * that is plainly made up (says "test" or "example", is dashed words, is
 * short or low in entropy) is counted, not reported: fixtures need such values.
 */
import { execa } from 'execa';

export interface RepoSecretFinding {
  rule: string;
  file: string;
  line: number;
  /** The match shortened: enough to find it, not to use it. */
  preview: string;
}

export interface RepoSecretScan {
  /** Files git grep looked at (tracked + untracked, ignored excluded). */
  filesSearched: number;
  findings: RepoSecretFinding[];
  /** Secret-named literals that say they are fake, per file. */
  placeholders: number;
  error?: string;
}

export const REPO_SECRET_RULES: readonly { rule: string; pattern: string; ignoreCase?: boolean }[] = [
  { rule: 'private-key', pattern: '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' },
  { rule: 'aws-access-key', pattern: '\\b(AKIA|ASIA)[0-9A-Z]{16}\\b' },
  { rule: 'github-token', pattern: '\\bgh[pousr]_[A-Za-z0-9]{36,}\\b' },
  { rule: 'slack-token', pattern: '\\bxox[abprs]-[A-Za-z0-9-]{10,}' },
  { rule: 'stripe-live-key', pattern: '\\b[sr]k_live_[A-Za-z0-9]{20,}' },
  { rule: 'google-api-key', pattern: '\\bAIza[0-9A-Za-z_-]{35}\\b' },
  { rule: 'atlassian-api-token', pattern: '\\bATATT[A-Za-z0-9_=-]{20,}' },
  { rule: 'jwt', pattern: '\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}' },
  {
    rule: 'secret-named-literal',
    pattern: '(client_?secret|api_?key|password|access_?token|refresh_?token|private_?key)["\']?[ \t]*[:=][ \t]*["\'][^"\' \t$]{8,}["\']',
    ignoreCase: true,
  },
];

/** A literal that announces itself as not real. */
const PLACEHOLDER = /test|fake|dummy|example|placeholder|sample|changeme|redacted|mock|xxx|\*\*\*|not-?a-?secret|\bfoo\b|\bbar\b/i;
/**
 * Words joined by dashes or underscores (`the-client-secret`, a variable's name `OAUTH_CLIENT_SECRET`, a documentation
 * anchor `#bad-refresh-token`): written by a person, not drawn at random.
 */
const WORDS_ONLY = /^#?[a-z]+(?:[-_][a-z]+)*$/i;

export async function scanRepository(cwd: string): Promise<RepoSecretScan> {
  const files = await execa('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd, reject: false });
  if (files.exitCode !== 0) return { filesSearched: 0, findings: [], placeholders: 0, error: `git ls-files failed: ${files.stderr.trim()}` };
  const findings: RepoSecretFinding[] = [];
  let placeholders = 0;
  for (const { rule, pattern, ignoreCase } of REPO_SECRET_RULES) {
    // -I: skip binary files; --untracked: the working tree as it is, not only what is committed.
    const grep = await execa('git', ['grep', '-I', '-n', '--untracked', ...(ignoreCase ? ['-i'] : []), '-E', '-e', pattern], { cwd, reject: false });
    if (grep.exitCode !== 0 && grep.exitCode !== 1) {
      return { filesSearched: countLines(files.stdout), findings, placeholders, error: `git grep (${rule}) failed: ${grep.stderr.trim()}` };
    }
    for (const hit of grep.stdout.split('\n').filter(Boolean)) {
      const match = /^([^:]+):(\d+):(.*)$/.exec(hit);
      if (!match) continue;
      const [, file, line, text] = match as unknown as [string, string, string, string];
      const matched = new RegExp(pattern, ignoreCase ? 'i' : '').exec(text)?.[0] ?? text;
      const literal = /["']([^"']*)["'][ \t]*$/.exec(matched)?.[1] ?? matched;
      if (rule === 'secret-named-literal' && looksMadeUp(literal)) {
        placeholders += 1;
        continue;
      }
      findings.push({ rule, file, line: Number(line), preview: `${matched.slice(0, 24)}…` });
    }
  }
  return { filesSearched: countLines(files.stdout), findings, placeholders };
}

/**
 * A secret-named literal a person wrote for a test: says so, is words, is
 * short, or has too little entropy to be drawn at random (real client
 * secrets and tokens are long random strings).
 */
export function looksMadeUp(literal: string): boolean {
  return PLACEHOLDER.test(literal) || WORDS_ONLY.test(literal) || literal.length < 16 || bitsPerChar(literal) < 3;
}

function bitsPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

const countLines = (text: string) => text.split('\n').filter(Boolean).length;
