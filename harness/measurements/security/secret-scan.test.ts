import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countByKind, scanForSecrets, SecretScanner } from './secret-scan.ts';

const fresh = (bytes = 32) => randomBytes(bytes).toString('base64url');
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** A log as the harness writes it, with the lines a careful process does write. */
function syntheticLog(extra: string[] = []): string {
  return [
    '   492 stderr 2026-11-28T01:15:26.871Z INFO  [callback-process] Listening on http://127.0.0.1:46527 (store json-file, pid 19421)',
    `   878 stderr 2026-11-28T01:15:27.766Z INFO  [tool-process:oauth] 🔐 Authorization started: state ${fresh().slice(0, 8)}… (store json-file)`,
    '   900 stderr 2026-11-28T01:15:28.000Z WARN  [callback-process:oauth] token request {"client_secret":"[REDACTED]","code_verifier":"[REDACTED]","code":"[REDACTED]"}',
    ...extra,
  ].join('\n');
}

describe('scanForSecrets', () => {
  it('finds a planted client secret in a synthetic log, with its line', () => {
    const secret = fresh(24);
    const result = scanForSecrets([{ source: 'synthetic.log', text: syntheticLog([`  950 stderr ERROR token request failed: client_secret=${secret}`]) }], {
      secrets: [{ kind: 'client-secret', value: secret }],
      challenges: new Set(),
    });
    expect(result.findings).toContainEqual({ kind: 'client-secret', source: 'synthetic.log', line: 4, preview: `${secret.slice(0, 6)}…` });
  });

  it('finds a secret glued to other base64url characters', () => {
    const secret = fresh(24);
    const result = scanForSecrets([{ source: 'l', text: `prefix${secret}suffix` }], { secrets: [{ kind: 'access-token', value: secret }], challenges: new Set() });
    expect(countByKind(result.findings)).toEqual({ 'access-token': 1 });
  });

  it('finds a PKCE verifier it was never told, by hashing against the challenges sent', () => {
    const verifier = fresh();
    const result = scanForSecrets([{ source: 'page', text: `<p>debug: verifier=${verifier}</p>` }], { secrets: [], challenges: new Set([s256(verifier), s256(fresh())]) });
    expect(result.findings).toEqual([{ kind: 'verifier-by-hash', source: 'page', line: 1, preview: `${verifier.slice(0, 6)}…` }]);
    expect(result.candidatesHashed).toBeGreaterThan(0);
  });

  it('finds a secret-named field with a value, not one with a redaction marker', () => {
    const result = scanForSecrets([{ source: 'l', text: syntheticLog(['  1 stderr {"accessToken":"fake-token-for-test","refreshToken":"[REDACTED]"}']) }], {
      secrets: [],
      challenges: new Set(),
      fields: true,
    });
    expect(result.findings).toEqual([{ kind: 'unredacted-field', source: 'l', line: 4, preview: 'accessToken=fake-t…' }]);
  });

  it('finds nothing in a clean log, even one full of states and challenges', () => {
    const challenges = new Set<string>();
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) {
      const challenge = s256(fresh());
      challenges.add(challenge);
      lines.push(`  ${i} stdout {"authUrl":"http://127.0.0.1:1/authorize?state=${fresh()}&code_challenge=${challenge}&code_challenge_method=S256"}`);
    }
    const result = scanForSecrets([{ source: 'clean.log', text: syntheticLog(lines) }], { secrets: [{ kind: 'client-secret', value: fresh(24) }], challenges, fields: true });
    expect(result.findings).toEqual([]);
    expect(result.candidatesHashed).toBeGreaterThanOrEqual(400);
  });

  it('caps the list per kind and source but keeps the count', () => {
    const secret = fresh(24);
    const scanner = new SecretScanner({ secrets: [{ kind: 'client-secret', value: secret }], challenges: new Set(), maxFindings: 2 });
    scanner.feed({ source: 'big.log', text: Array.from({ length: 5 }, () => secret).join('\n') });
    const result = scanner.result();
    expect(result.findings.filter((f) => f.line > 0)).toHaveLength(2);
    expect(countByKind(result.findings)).toEqual({ 'client-secret': 5 });
  });
});
