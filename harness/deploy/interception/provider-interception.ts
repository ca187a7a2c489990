/**
 * Interception of a non-Node server's hard-coded provider hosts: one TLS
 * front per mock (tls-front.mjs, a real process on a loopback address of its
 * own, port 443), a CA made for it, and the files a target's mount
 * namespace binds so that its processes, whatever their runtime, resolve
 * the provider's hosts to the front and trust only the run's CA:
 *
 * - /etc/hosts: the provider's hosts at the front's address, localhost as usual;
 * - /etc/resolv.conf: a name server on loopback that does not exist, so any
 *   other name fails at once instead of reaching the internet;
 * - the system's CA bundle (/etc/ssl/certs/ca-certificates.crt): the run's CA;
 * and the variables runtimes read for their trust store (SSL_CERT_FILE,
 * REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS).
 * It needs mount namespaces and the right to listen on port 443 (root).
 * Where network namespaces can be made too (network-namespaces.ts), the
 * front also takes connections on a Unix socket (`relay`) from the relay in
 * each host's namespace, which listens on the front's address inside: the
 * target's processes then have loopback only, and an IP literal or a
 * resolver of their own leads nowhere (host-network.ts).
 *
 * Where no namespace can be made, `mode: 'proxy'` serves the same front as
 * an HTTPS proxy on an ephemeral port: the target's processes get
 * HTTPS_PROXY (and NO_PROXY for loopback) and the trust variables, nothing
 * bound. Weaker: a program that ignores HTTPS_PROXY is not redirected, so
 * the run says so (`guarantee`).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import { claimTemporaryFolder, removeTemporaryFolder } from '../../core/temporary-folders.ts';
import { networkIsolation } from './network-namespaces.ts';
import { issueRunCertificates } from './run-certificate-authority.ts';

const FRONT = fileURLToPath(new URL('./tls-front.mjs', import.meta.url));
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export interface FileBind {
  /** A file of the run's. */
  source: string;
  /** The file it replaces inside the namespace. */
  target: string;
}

export interface ProviderInterception {
  /** https://ADDRESS:443 (a front), or http://127.0.0.1:PORT (a proxy). */
  url: string;
  mode: 'front' | 'proxy';
  /** What keeps the target's provider calls on the mock, in words for the run's output. */
  guarantee: string;
  hosts: readonly string[];
  caFile: string;
  /** Every request the front forwarded or refused, one JSON line each. */
  logFile: string;
  /** What a target process's mount namespace binds over its own files. */
  binds: readonly FileBind[];
  /** What its environment adds: the trust store every common runtime reads. */
  env: Readonly<Record<string, string>>;
  /**
   * Where network namespaces are in force: the front's address (what a relay
   * listens on inside each namespace, port 443) and the Unix socket the front
   * takes relayed connections on.
   */
  relay?: { address: string; socket: string };
  stop(): Promise<void>;
}

/** A loopback address of its own (127.0.0.0/8 is loopback on Linux), so parallel runs each have their port 443. */
async function freeLoopbackAddress(): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const address = `127.${randomInt(64, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(443, address, () => probe.close(() => resolve(true)));
    });
    if (free) return address;
  }
  throw new Error('provider interception: no loopback address with a free port 443 (is the harness root?)');
}

export async function startProviderInterception(options: { dir: string; logDir: string; mockUrl: string; hosts: readonly string[]; name?: string; mode?: 'front' | 'proxy' }): Promise<ProviderInterception> {
  const mode = options.mode ?? 'front';
  const issued = issueRunCertificates(options.hosts);
  mkdirSync(options.dir, { recursive: true });
  const file = (name: string, text: string) => {
    const at = path.join(options.dir, name);
    writeFileSync(at, text, { mode: 0o644 });
    return at;
  };
  const caFile = file('run-ca.pem', issued.caPem);
  const certFile = file('provider-hosts.pem', issued.serverCertPem);
  const keyFile = path.join(options.dir, 'provider-hosts.key');
  writeFileSync(keyFile, issued.serverKeyPem, { mode: 0o600 });
  const address = mode === 'front' ? await freeLoopbackAddress() : '127.0.0.1';
  const hostsFile = file('hosts', [`127.0.0.1\tlocalhost`, `::1\tlocalhost ip6-localhost ip6-loopback`, `${address}\t${options.hosts.join(' ')}`, ''].join('\n'));
  // Port 53 on loopback, where nothing listens: a name outside /etc/hosts fails at once.
  const resolvConf = file('resolv.conf', 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  const logFile = path.join(options.logDir, `intercept.${options.name ?? 'tls-front'}.jsonl`);
  // A Unix socket's path is limited to about 100 bytes: a short folder of its own under the system's temporary folder.
  const relayDir = mode === 'front' && networkIsolation().kind === 'network-namespace' ? mkdtempSync(path.join(os.tmpdir(), 'oauth-repro-front-')) : undefined;
  if (relayDir) claimTemporaryFolder(relayDir);
  const relaySocket = relayDir && path.join(relayDir, 'front.sock');
  const removeRelayDir = () => {
    if (relayDir) removeTemporaryFolder(relayDir);
  };
  const child: RunningChild = spawnChild({
    name: options.name ?? 'tls-front',
    command: process.execPath,
    args: [FRONT, address, certFile, keyFile, options.mockUrl, logFile, options.hosts.join(','), mode, ...(relaySocket ? [relaySocket] : [])],
    env: {},
    logDir: options.logDir,
  });
  let url: string;
  try {
    url = (await child.waitForReady('stdout', 'tls-front', 10_000)).url;
  } catch (error) {
    await child.stop({ graceMs: 200 });
    removeRelayDir();
    throw error;
  }
  const stop = () => child.stop({ graceMs: 500 }).then(removeRelayDir);
  if (mode === 'proxy') {
    const loopback = 'localhost,127.0.0.1,::1';
    return {
      url,
      mode,
      guarantee: `an HTTPS proxy (${url}) named by HTTPS_PROXY: a process that ignores the variable is not redirected`,
      hosts: issued.hosts,
      caFile,
      logFile,
      binds: [],
      env: { HTTPS_PROXY: url, https_proxy: url, NO_PROXY: loopback, no_proxy: loopback, SSL_CERT_FILE: caFile, REQUESTS_CA_BUNDLE: caFile, CURL_CA_BUNDLE: caFile, NODE_EXTRA_CA_CERTS: caFile },
      stop,
    };
  }
  const systemBundle = existsSync(SYSTEM_CA_BUNDLE);
  const binds: FileBind[] = [
    { source: hostsFile, target: '/etc/hosts' },
    { source: resolvConf, target: '/etc/resolv.conf' },
    ...(systemBundle ? [{ source: caFile, target: SYSTEM_CA_BUNDLE }] : []),
  ];
  // The variables name the file as the process sees it: the system bundle holds the run's CA inside the namespace,
  // wherever the run folder is (one under /tmp is not visible in a host's private /tmp).
  const trusted = systemBundle ? SYSTEM_CA_BUNDLE : caFile;
  const network = networkIsolation();
  return {
    url,
    mode,
    guarantee:
      network.kind === 'network-namespace'
        ? `the provider's hosts resolved to a TLS front (${url}) in each process's namespace, no other name resolving; each host in a network namespace with loopback only, so IP literals cannot leave`
        : `the provider's hosts resolved to a TLS front (${url}) in each process's mount namespace, no other name resolving; no network namespace (${network.why}): a process that connects to an IP literal or asks a resolver of its own is not stopped`,
    hosts: issued.hosts,
    caFile,
    logFile,
    binds,
    env: { SSL_CERT_FILE: trusted, REQUESTS_CA_BUNDLE: trusted, CURL_CA_BUNDLE: trusted, NODE_EXTRA_CA_CERTS: trusted },
    ...(relaySocket ? { relay: { address, socket: relaySocket } } : {}),
    stop,
  };
}
