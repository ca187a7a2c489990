/**
 * Can each simulated host have a network namespace of its own, with only
 * loopback in it? It takes root (or CAP_SYS_ADMIN), `unshare --net`,
 * `nsenter` and `ip` (to bring loopback up inside), and the mount
 * namespaces the TLS front's files need already. Probed once per harness
 * process. OAUTH_REPRO_NO_NAMESPACES=1 turns every namespace off (the HTTPS
 * proxy then); OAUTH_REPRO_NO_NETNS=1 only this one (the front with each
 * host's own /etc/hosts, no network namespace), to see that case run.
 */
import { spawnSync } from 'node:child_process';
import { isolationMode } from '../hosts.ts';

export type NetworkIsolation = { kind: 'network-namespace' } | { kind: 'none'; why: string };

let probed: NetworkIsolation | undefined;

export function networkIsolation(): NetworkIsolation {
  if (probed) return probed;
  const mounts = isolationMode();
  if (mounts.kind === 'env-only') return (probed = { kind: 'none', why: mounts.why });
  if (process.env.OAUTH_REPRO_NO_NETNS === '1') return (probed = { kind: 'none', why: 'OAUTH_REPRO_NO_NETNS=1' });
  if (process.getuid?.() !== 0) return (probed = { kind: 'none', why: 'a network namespace per host needs root' });
  const missing = ['nsenter', 'ip'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status !== 0);
  if (missing.length) return (probed = { kind: 'none', why: `${missing.join(' and ')} not found` });
  const result = spawnSync('unshare', ['--net', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8', timeout: 5000 });
  if (result.status === 0) return (probed = { kind: 'network-namespace' });
  return (probed = { kind: 'none', why: `unshare --net failed: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n')[0]}` });
}
