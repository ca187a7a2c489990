/**
 * A remote-mode record sealed into its own key (AES-256-GCM, node:crypto),
 * so that the key (a client id, the provider's state, a code, an access
 * token, an Mcp-Session-Id) carries the record from one replica to any other
 * and comes back unchanged or not at all. The sealed-state store's way of
 * keeping the remote mode's records without a store.
 *
 * Layout (then base64url, no padding):
 *
 *   version (1 byte, 0x02; sealed-session.ts's states are 0x01)
 *   nonce   (32 random bytes: the key's randomness; the first 12 are the GCM IV,
 *            all 32 are authenticated together with the version as AAD)
 *   ciphertext of the record as JSON
 *   tag     (16 bytes)
 *
 * Each namespace seals under its own HKDF subkey of SESSION_SEAL_KEY: a
 * sealed access token does not open as an Mcp-Session-Id or as a client id.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SEAL_KEY_BYTES, SealKeyError } from './sealed-session.ts';

const VERSION = 0x02;
const NONCE_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;

export type OpenedRecord = { ok: true; record: unknown; nonce: string } | { ok: false; reason: 'malformed' | 'forged' };

export class RecordSealer {
  private readonly key: Buffer;

  /** `purpose` names what is sealed (the namespace): one subkey per purpose. */
  constructor(sealKey: Buffer, purpose: string) {
    if (sealKey.length !== SEAL_KEY_BYTES) throw new SealKeyError(`expected a ${SEAL_KEY_BYTES}-byte key, got ${sealKey.length} bytes`);
    this.key = Buffer.from(hkdfSync('sha256', sealKey, Buffer.alloc(0), `oauth-state-repro record-seal ${purpose} v1`, 32));
  }

  seal(record: unknown): string {
    const header = Buffer.concat([Buffer.from([VERSION]), randomBytes(NONCE_BYTES)]);
    const cipher = createCipheriv('aes-256-gcm', this.key, header.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** 'malformed': not a sealed record of this version; 'forged': does not authenticate under this key and purpose. */
  open(sealed: string): OpenedRecord {
    if (!/^[A-Za-z0-9_-]+$/.test(sealed)) return { ok: false, reason: 'malformed' };
    const bytes = Buffer.from(sealed, 'base64url');
    // One key, one spelling: base64url's spare low bits must not give a second string for the same bytes.
    if (bytes.toString('base64url') !== sealed) return { ok: false, reason: 'malformed' };
    if (bytes.length < HEADER_BYTES + TAG_BYTES + 1 || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
    const header = bytes.subarray(0, HEADER_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, header.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(header);
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    } catch {
      return { ok: false, reason: 'forged' };
    }
    try {
      return { ok: true, record: JSON.parse(plain.toString('utf8')), nonce: header.subarray(1).toString('base64url') };
    } catch {
      // Authentic but unreadable: only a bug of ours can seal that.
      return { ok: false, reason: 'malformed' };
    }
  }
}
