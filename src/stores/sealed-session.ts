/**
 * The sealed state: an OAuth session encrypted and authenticated with
 * AES-256-GCM (node:crypto) so that it can travel inside the `state`
 * parameter itself, and come back through the browser unchanged or not at all.
 *
 * Layout (then base64url, no padding):
 *
 *   version (1 byte, 0x01)
 *   nonce   (32 random bytes: the state's randomness; the first 12 are the GCM IV,
 *            all 32 are authenticated together with the version as AAD)
 *   ciphertext of:
 *     timestamp      6 bytes, big-endian milliseconds since the epoch
 *     codeVerifier   0x00 + 32 raw bytes when it is canonical base64url of 32 bytes
 *                    (as the OAuth manager makes it), else 0x01 + u16 length + UTF-8
 *     redirectUri    u16 length + UTF-8
 *     userEmail      u16 length + UTF-8
 *   tag     (16 bytes)
 *
 * Length: 1 + 32 + 6 + 33 + (2 + |redirectUri|) + (2 + |userEmail|) + 16 bytes,
 * i.e. 92 bytes + the two strings, in ceil(4/3 × that) characters. Measured
 * by the tests: 203 characters for `http://127.0.0.1:54321/oauth/callback`
 * and `alice@acme-corp.example` (the harness's case), 252 for a 59-byte https
 * redirect URI and a 38-byte email; under 300 while the redirect URI and the
 * email total at most 132 bytes. (The write-up's random state: 43.)
 *
 * Keys: SESSION_SEAL_KEY is 32 bytes; HKDF-SHA256 derives one key per
 * purpose from it (sealing the state, authenticating the token relay), so
 * the relay's credential reveals nothing about the sealing key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { OAuthSession } from '../session-store.ts';

export const SEAL_KEY_BYTES = 32;
const VERSION = 0x01;
const NONCE_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;
const MAX_STRING_BYTES = 0xffff;

export type UnsealedSession = Omit<OAuthSession, 'state'>;

export type OpenResult =
  | { ok: true; session: UnsealedSession; nonce: string }
  | { ok: false; reason: 'malformed' | 'forged' };

export class SealKeyError extends Error {
  readonly code = 'invalid_seal_key';
  constructor(problem: string) {
    super(problem);
    this.name = 'SealKeyError';
  }
}

/** Decodes SESSION_SEAL_KEY: 32 bytes as base64url (43 characters, `=` padding tolerated). Never echoes it. */
export function parseSealKey(text: string): Buffer {
  const trimmed = text.trim().replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) {
    throw new SealKeyError(`expected ${SEAL_KEY_BYTES} bytes encoded as base64url (43 characters of A-Z a-z 0-9 - _)`);
  }
  const key = Buffer.from(trimmed, 'base64url');
  if (key.length !== SEAL_KEY_BYTES || key.toString('base64url') !== trimmed) {
    throw new SealKeyError(`expected ${SEAL_KEY_BYTES} bytes encoded as base64url (43 characters), got ${key.length} bytes`);
  }
  return key;
}

/** A fresh key, as SESSION_SEAL_KEY wants it. */
export function generateSealKey(): string {
  return randomBytes(SEAL_KEY_BYTES).toString('base64url');
}

/** HKDF-SHA256 subkey of the seal key for one purpose. */
export function deriveKey(master: Buffer, purpose: 'state-seal' | 'token-relay'): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `oauth-state-repro ${purpose} v1`, 32));
}

function writeString(parts: Buffer[], value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_STRING_BYTES) throw new RangeError(`a sealed session field is ${bytes.length} bytes; at most ${MAX_STRING_BYTES}`);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  parts.push(length, bytes);
}

function encodeVerifier(parts: Buffer[], verifier: string): void {
  const raw = /^[A-Za-z0-9_-]{43}$/.test(verifier) ? Buffer.from(verifier, 'base64url') : undefined;
  if (raw && raw.length === 32 && raw.toString('base64url') === verifier) {
    parts.push(Buffer.from([0x00]), raw);
  } else {
    parts.push(Buffer.from([0x01]));
    writeString(parts, verifier);
  }
}

class Reader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}
  take(n: number): Buffer {
    if (this.offset + n > this.bytes.length) throw new RangeError('truncated');
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  string(): string {
    return this.take(this.take(2).readUInt16BE()).toString('utf8');
  }
  get done(): boolean {
    return this.offset === this.bytes.length;
  }
}

export class SessionSealer {
  private readonly key: Buffer;

  constructor(sealKey: Buffer) {
    if (sealKey.length !== SEAL_KEY_BYTES) throw new SealKeyError(`expected a ${SEAL_KEY_BYTES}-byte key, got ${sealKey.length} bytes`);
    this.key = deriveKey(sealKey, 'state-seal');
  }

  seal(session: UnsealedSession): string {
    if (!Number.isSafeInteger(session.timestamp) || session.timestamp < 0 || session.timestamp >= 2 ** 48) {
      throw new RangeError(`session timestamp ${session.timestamp} is not a 48-bit millisecond time`);
    }
    const parts: Buffer[] = [];
    const timestamp = Buffer.alloc(6);
    timestamp.writeUIntBE(session.timestamp, 0, 6);
    parts.push(timestamp);
    encodeVerifier(parts, session.codeVerifier);
    writeString(parts, session.redirectUri);
    writeString(parts, session.userEmail);

    const header = Buffer.concat([Buffer.from([VERSION]), randomBytes(NONCE_BYTES)]);
    const cipher = createCipheriv('aes-256-gcm', this.key, header.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(Buffer.concat(parts)), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]).toString('base64url');
  }

  /**
   * Opens a state. 'malformed': not a sealed state of this version (or a
   * non-canonical encoding of one); 'forged': it does not authenticate under
   * this key (tampered, truncated, or sealed with another key).
   */
  open(state: string): OpenResult {
    if (!/^[A-Za-z0-9_-]+$/.test(state)) return { ok: false, reason: 'malformed' };
    const bytes = Buffer.from(state, 'base64url');
    // One state, one spelling: base64url's spare low bits must not give a second string for the same bytes.
    if (bytes.toString('base64url') !== state) return { ok: false, reason: 'malformed' };
    if (bytes.length < HEADER_BYTES + TAG_BYTES + 1 || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
    const header = bytes.subarray(0, HEADER_BYTES);
    const body = bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, header.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(header);
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      return { ok: false, reason: 'forged' };
    }
    try {
      const reader = new Reader(plain);
      const timestamp = reader.take(6).readUIntBE(0, 6);
      const verifierKind = reader.take(1)[0];
      const codeVerifier = verifierKind === 0x00 ? reader.take(32).toString('base64url') : reader.string();
      const redirectUri = reader.string();
      const userEmail = reader.string();
      if (!reader.done || (verifierKind !== 0x00 && verifierKind !== 0x01)) return { ok: false, reason: 'malformed' };
      return { ok: true, session: { codeVerifier, redirectUri, timestamp, userEmail }, nonce: header.subarray(1).toString('base64url') };
    } catch {
      // Authentic but unreadable: only a bug of ours can seal that.
      return { ok: false, reason: 'malformed' };
    }
  }
}
