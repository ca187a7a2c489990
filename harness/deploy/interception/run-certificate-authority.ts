/**
 * A certificate authority made for one run, and one server certificate it
 * signs for the provider hosts the run intercepts. Its certificate is the
 * only one a target's processes are told to trust, so a TLS connection to
 * any host the run does not answer for fails, and nothing the run did not
 * sign is trusted. node-forge does the X.509 work (Node has no API that
 * issues certificates).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface IssuedCertificates {
  /** The authority's certificate (PEM): the trust bundle of the target's processes. */
  caPem: string;
  /** The provider hosts' certificate and key (PEM), for the TLS front. */
  serverCertPem: string;
  serverKeyPem: string;
  hosts: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const LABEL = 'oauth-state-repro run CA';

/** RSA keys made by Node's own (native) crypto, handed to node-forge: forge's JavaScript key generation takes a quarter second each. */
function keyPair(): forge.pki.rsa.KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function serial(): string {
  // Positive (the high bit clear), 16 bytes: unique per certificate.
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString('hex');
}

type Name = forge.pki.CertificateField[];

/** A certificate for `keys`, valid from a day ago for a week, named and extended as given, signed by `signer`. */
function certificate(keys: forge.pki.rsa.KeyPair, subject: Name, issuer: Name, extensions: object[], signer: forge.pki.rsa.PrivateKey, now: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now - DAY_MS);
  cert.validity.notAfter = new Date(now + 7 * DAY_MS);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  cert.sign(signer, forge.md.sha256.create());
  return cert;
}

/** The CA and one certificate for every host in `hosts` (subjectAltName). */
export function issueRunCertificates(hosts: readonly string[]): IssuedCertificates {
  if (hosts.length === 0) throw new Error('run certificate authority: no host to issue a certificate for');
  const now = Date.now();
  const caKeys = keyPair();
  const caName: Name = [{ name: 'commonName', value: `${LABEL} ${new Date(now).toISOString()}` }];
  const ca = certificate(
    caKeys,
    caName,
    caName,
    [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }, { name: 'subjectKeyIdentifier' }],
    caKeys.privateKey,
    now,
  );
  const serverKeys = keyPair();
  const server = certificate(
    serverKeys,
    [{ name: 'commonName', value: hosts[0]! }],
    caName,
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hosts.map((host) => ({ type: 2, value: host })) },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    ],
    caKeys.privateKey,
    now,
  );
  return {
    caPem: forge.pki.certificateToPem(ca),
    serverCertPem: forge.pki.certificateToPem(server),
    serverKeyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
    hosts: [...hosts],
  };
}
