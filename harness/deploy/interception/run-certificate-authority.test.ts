/**
 * The run's CA and the provider hosts' certificate: the certificate is
 * signed by the CA, names every host and no other, is for serving only, and
 * the CA is a CA; a TLS client that trusts only the CA accepts the hosts and
 * refuses any other name.
 */
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { issueRunCertificates } from './run-certificate-authority.ts';

const issued = issueRunCertificates(['github.com', 'api.github.com']);

describe('issueRunCertificates', () => {
  it('a CA, and a server certificate it signed for exactly the hosts asked', () => {
    const ca = new X509Certificate(issued.caPem);
    const server = new X509Certificate(issued.serverCertPem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.subjectAltName).toBe('DNS:github.com, DNS:api.github.com');
    expect(server.checkHost('api.github.com')).toBe('api.github.com');
    expect(server.checkHost('evil.example')).toBeUndefined();
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });

  it('refuses to issue for no host', () => {
    expect(() => issueRunCertificates([])).toThrow(/no host/);
  });

  it('a client trusting only the CA completes TLS for a listed host and refuses another name', async () => {
    const server = https.createServer({ cert: issued.serverCertPem, key: issued.serverKeyPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (servername: string) =>
      new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port, servername, headers: { host: servername }, ca: issued.caPem, path: '/' }, (res) => {
          res.setEncoding('utf8');
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
    try {
      await expect(get('github.com')).resolves.toBe('ok');
      await expect(get('example.com')).rejects.toThrow(/altnames|does not match/i);
    } finally {
      server.close();
    }
  });
});
